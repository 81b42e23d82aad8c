// Passwords: PBKDF2-SHA-256 through WebCrypto with a random 16-byte salt per account.
// 100,000 iterations is the most the Workers runtime allows for PBKDF2.
import { constantTimeEqual, toHex } from "./encoding.ts";

export const PBKDF2_ITERATIONS = 100_000;

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return toHex(new Uint8Array(bits));
}

function fromHex(hex: string): Uint8Array {
  return new Uint8Array((hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)));
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { hash: await derive(password, salt, iterations), salt: toHex(salt), iterations };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  return constantTimeEqual(await derive(password, fromHex(stored.salt), stored.iterations), stored.hash);
}

/** A hash of nothing in particular: login runs PBKDF2 even for unknown emails, so timing does not reveal accounts. */
export const DUMMY_HASH: PasswordHash = {
  hash: "0".repeat(64),
  salt: "00000000000000000000000000000000",
  iterations: PBKDF2_ITERATIONS,
};
