// Cluster tokens: random secrets handed out once (the object keeps only their SHA-256) and
// short public ids by which they are listed and revoked.
import { clusterToken } from "../../../kube/cluster-of-token.ts";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function randomBase32(length: number): string {
  // 256 is a multiple of 32, so masking each byte keeps the distribution uniform.
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => BASE32[b & 31]).join("");
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * 256 random bits; the prefix lets secret scanners recognise a leaked Flotilla cluster token. With the
 * cluster's id the token names its cluster (`fltc_<id>_<secret>`), so it works at the server's root;
 * the id is hashed with the secret, so it cannot be swapped for another cluster's.
 */
export function newClusterSecret(clusterId?: string): string {
  const secret = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return clusterId ? clusterToken(clusterId, secret) : `fltc_${secret}`;
}

export function newTokenId(role: string): string {
  return `${role}-${randomBase32(10)}`;
}
