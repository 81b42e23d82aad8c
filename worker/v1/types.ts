import type { Db } from "../db/client.ts";
import type { Account } from "./auth.ts";
import type { Env } from "../env.ts";

/** Hono bindings and variables of the /v1 app. */
export type V1 = {
  Bindings: Env;
  Variables: { db: Db; account: Account; tokenId: string };
};
