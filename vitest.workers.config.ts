import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig, type Plugin } from "vitest/config";

// drizzle-kit's migrations import .sql files; wrangler bundles them as Text (wrangler.toml
// [[rules]]), and here Vite needs the same: the file's text as the default export.
const sqlAsText: Plugin = {
  name: "sql-as-text",
  transform(code, id) {
    if (id.endsWith(".sql")) return { code: `export default ${JSON.stringify(code)};`, map: null };
  },
};

export default defineConfig({
  plugins: [
    sqlAsText,
    cloudflareTest(async () => ({
      main: "./worker/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // DEFAULT_PLAN "local": clusters made by tests are not rate limited; limit tests pick their own plans.
        bindings: {
          DEFAULT_PLAN: "local",
          CHANGE_LOG_LIMIT: "50",
          // The clusters' host names (kube/edge-hosts.ts) under a domain of the tests' own.
          EDGE_DOMAIN: "edge.test",
          TEST_D1_MIGRATIONS: await readD1Migrations("./migrations/d1"),
        },
      },
    })),
  ],
  test: {
    include: ["durable-objects/**/*.workers.test.ts", "worker/**/*.workers.test.ts"],
    // Applies migrations/d1 to the test D1 database before each file.
    setupFiles: ["./worker/testing/apply-d1-migrations.ts"],
    testTimeout: 30_000,
    // In CI a failed test runs once more; one that passes then is shown "(retry x1)" in the log, a flake to
    // chase rather than a red build (each full run met a different rare one: ordering in workerd's test
    // runtime, ports taken between probe and bind, a write racing the scheduler).
    retry: process.env.CI ? 1 : 0,
  },
});
