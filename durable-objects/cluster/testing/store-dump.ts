// For workers tests: everything a cluster object has stored (objects, the change log, the
// revision counter and the other counters in `meta`), read straight from its SQLite, so a test
// can show that a refused request changed nothing at all.
import { env, runInDurableObject } from "cloudflare:test";

const ns = () => (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;

/**
 * One string holding every row of the tables that make up the cluster's state, in key order. With
 * `stopAlarm`, the object's alarm is cancelled first, so no controller tick writes until the next
 * request arms it again (a test comparing dumps around a request wants only that request's writes).
 */
export async function storeDump(clusterId: string, opts: { stopAlarm?: boolean } = {}): Promise<string> {
  const stub = ns().get(ns().idFromName(clusterId));
  return runInDurableObject(stub, async (_instance, state) => {
    if (opts.stopAlarm) await state.storage.deleteAlarm();
    const sql = state.storage.sql;
    const rows = (query: string) => sql.exec(query).toArray();
    return JSON.stringify({
      objects: rows("SELECT key, revision, body FROM objects ORDER BY key"),
      changes: rows("SELECT revision, type, key, body FROM changes ORDER BY revision"),
      // Activity is a timestamp of use, not state: reads touch it too.
      meta: rows("SELECT key, value FROM meta WHERE key != 'flotilla.lastActive' ORDER BY key"),
    });
  });
}
