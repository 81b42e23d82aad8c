// The public API under /v1: JSON in and out, every failure a JSON error (see errors.ts).
import { Hono } from "hono";
import { openDb } from "../db/client.ts";
import { accountRoutes } from "./accounts.ts";
import { clusterRoutes } from "./clusters.ts";
import { ApiError, errorJson, notFound } from "./errors.ts";
import { tokenRoutes } from "./tokens.ts";
import type { V1 } from "./types.ts";
import { userRoutes } from "./users.ts";

export function v1Api(): Hono<V1> {
  const app = new Hono<V1>();
  app.onError((err) => errorJson(err));
  app.use(async (c, next) => {
    c.set("db", openDb(c.env.DB));
    await next();
  });
  accountRoutes(app);
  clusterRoutes(app);
  tokenRoutes(app);
  userRoutes(app);
  // A catch-all rather than notFound(): a mounted app's notFound is not consulted by its parent.
  app.all("*", async (c) => {
    await c.req.raw.body?.cancel().catch(() => {});
    return errorJson(notFound(`no route for ${c.req.method} ${new URL(c.req.url).pathname}`));
  });
  return app;
}

export { ApiError };
