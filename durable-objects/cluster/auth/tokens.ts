// Cluster tokens: random secrets handed out once (the object keeps only their SHA-256) and
// short public ids by which they are listed and revoked.

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

/** 256 random bits; the prefix lets secret scanners recognise a leaked Flotilla cluster token. */
export function newClusterSecret(): string {
  return `fltc_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export function newTokenId(role: string): string {
  return `${role}-${randomBase32(10)}`;
}
