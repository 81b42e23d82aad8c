// Strangers cost nothing: a request reaches a cluster's Durable Object only when /v1 created that id (its row
// in the D1 index, live or deleted). The object cannot tell by itself: the first touch of its storage, even
// the read that finds no cluster record, makes workerd create the object's SQLite database (measured: 100
// requests to random ids left 116 files behind). Ids found are remembered for the isolate's life, so a
// cluster's own traffic costs one D1 read per isolate; an unknown id costs one indexed D1 read, no object.
import { eq } from "drizzle-orm";
import { openDb } from "./db/client.ts";
import { clusters } from "./db/schema.ts";

/** Enough for every cluster an isolate serves; past it the set starts over (a D1 read each, nothing worse). */
const MAX_REMEMBERED = 10_000;

const known = new Set<string>();

/** Whether `/v1` created the cluster `id` (it may since have been deleted; its object then answers 401). */
export async function isKnownCluster(d1: D1Database, id: string): Promise<boolean> {
  if (known.has(id)) return true;
  const row = await openDb(d1).select({ id: clusters.id }).from(clusters).where(eq(clusters.id, id)).get();
  if (!row) return false;
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.add(id);
  return true;
}
