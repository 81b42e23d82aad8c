import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/cluster/store/schema.ts",
  out: "./migrations/cluster",
});
