// The cluster's ServiceAccount signing key: made once with WebCrypto (RSA 2048, RS256 as upstream's
// default — and what most OIDC relying parties accept), kept as a private JWK in the store's `meta` table
// next to the cluster record, never logged and never served: only its public JWK leaves the object.
// A plain key/value row rather than a table of its own, so no migration is needed for one value.
import { generateSigningJwk, type Jwk, loadSigningKey, type SigningKey } from "../../../kube/jwt.ts";

const KEY = "flotilla.serviceAccountSigningKey";

function stored(sql: SqlStorage): Jwk | undefined {
  const rows = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", KEY).toArray();
  return rows[0] ? (JSON.parse(rows[0].value) as Jwk) : undefined;
}

/** The stored key, or a new one stored first. Needs the store's tables (migrations applied). */
export async function clusterSigningKey(sql: SqlStorage): Promise<SigningKey> {
  let jwk = stored(sql);
  if (!jwk) {
    jwk = await generateSigningJwk();
    sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", KEY, JSON.stringify(jwk));
    // Another wake-up may have stored one first: use whichever is stored.
    jwk = stored(sql) ?? jwk;
  }
  return loadSigningKey(jwk);
}
