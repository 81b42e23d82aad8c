import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
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
    cloudflareTest({
      main: "./worker/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: { FLOTILLA_LOCAL_BOOTSTRAP: "true", CHANGE_LOG_LIMIT: "50" } },
    }),
  ],
  test: {
    include: ["durable-objects/**/*.workers.test.ts", "worker/**/*.workers.test.ts"],
    testTimeout: 30_000,
  },
});
