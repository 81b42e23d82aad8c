// vitest-pool-workers setup: the same migrations wrangler applies, on the test D1 database.
import { applyD1Migrations, type D1Migration, env } from "cloudflare:test";

const testEnv = env as unknown as { DB: D1Database; TEST_D1_MIGRATIONS: D1Migration[] };
await applyD1Migrations(testEnv.DB, testEnv.TEST_D1_MIGRATIONS);
