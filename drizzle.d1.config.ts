import { defineConfig } from "drizzle-kit";

// D1 (the public API's accounts, tokens, cluster index and plans). wrangler applies the output:
// `wrangler d1 migrations apply DB` reads migrations_dir in wrangler.toml.
export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema.ts",
  out: "./migrations/d1",
});
