// For controller workers tests driven tick by tick: a fresh object's SQLite (migrated), its store, a clock
// the test moves forward, and a runner over the controllers `build` makes, following the store, with the
// alarm it would arm recorded instead of set.
import { env, runInDurableObject } from "cloudflare:test";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../../../migrations/cluster/migrations.js";
import type { ApiContext } from "../context.ts";
import { Runner } from "../controllers/runner.ts";
import type { Controller } from "../controllers/types.ts";
import { kindIndex } from "../registry/index.ts";
import { ObjectStore } from "../store/object-store.ts";

export interface ClockedRunner {
  ctx: ApiContext;
  runner: Runner;
  /** What the runner armed the alarm for last. */
  armed(): number | null;
  /** Moves the injected clock forward. */
  advance(ms: number): void;
}

export async function withClockedRunner<T>(
  build: (ctx: ApiContext, db: DrizzleSqliteDODatabase) => Promise<{ controllers: Controller[]; extra: T }>,
  fn: (s: ClockedRunner & T) => Promise<void>,
): Promise<void> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  await runInDurableObject(ns.get(ns.newUniqueId()), async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    let offset = 0;
    const store = new ObjectStore(db, state.storage, 100);
    const ctx: ApiContext = { store, kinds: kindIndex, now: () => Date.now() + offset };
    const { controllers, extra } = await build(ctx, db);
    let armed: number | null = null;
    const runner = new Runner(controllers, {
      now: ctx.now,
      alarm: {
        arm: (at) => {
          armed = at;
        },
      },
    });
    runner.follow((listener) => store.onChange(listener));
    runner.start();
    await fn({
      ...extra,
      ctx,
      runner,
      armed: () => armed,
      advance: (ms) => {
        offset += ms;
      },
    });
  });
}
