// Account API tokens and ids. Tokens are 256 random bits shown once; D1 keeps their SHA-256.
import { base64url, randomBase32 } from "./encoding.ts";

/** Prefix of account tokens (cluster tokens are `fltc_`): secret scanners and humans can tell them apart. */
export const ACCOUNT_TOKEN_PREFIX = "flta_";

export function newAccountToken(): string {
  return `${ACCOUNT_TOKEN_PREFIX}${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** Looks like a token we issue; anything else is refused before a lookup. */
export function isAccountTokenShape(token: string): boolean {
  return /^flta_[A-Za-z0-9_-]{43}$/.test(token);
}

/** 26 base32 characters = 130 random bits: unguessable, a DNS label, a URL segment, a Durable Object name. */
export function newClusterId(): string {
  return randomBase32(26);
}

export const CLUSTER_ID_PATTERN = /^[a-z2-7]{26}$/;

export function newId(prefix: string): string {
  return `${prefix}_${randomBase32(16)}`;
}
