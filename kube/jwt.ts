// Compact JWS (RFC 7515) signed with RS256 through WebCrypto, as upstream's service account token
// generator (pkg/serviceaccount/jwt.go) makes them: header {alg, kid}, kid = base64url(SHA-256 of the
// DER SubjectPublicKeyInfo). Verification accepts RS256 only — never "none" or an HMAC keyed with the
// public key (alg confusion) — and, when the header names a kid, only the key with that kid.
// No runtime imports: WebCrypto is global in Workers, Node and browsers.

const ALG = "RS256";
const RSA_PARAMS = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

/** A signing key: the private half stays where it was made; only `publicJwk` is ever served. */
export interface SigningKey {
  kid: string;
  privateKey: Key;
  publicKey: Key;
  /** The public key as served in /openid/v1/jwks (kty, n, e, use, alg, kid). */
  publicJwk: Jwk & { kid: string; use: string; alg: string };
}

export type JwtFailure = "malformed" | "algorithm" | "unknown key" | "signature";

export type JwtVerification<T> = { ok: true; header: JwtHeader; payload: T } | { ok: false; reason: JwtFailure };

/** WebCrypto's key and JWK types, named without relying on the DOM or Workers type libraries. */
export type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
export interface Jwk {
  kty?: string;
  n?: string;
  e?: string;
  alg?: string;
  kid?: string;
  use?: string;
  [member: string]: unknown;
}
// biome-ignore lint/suspicious/noExplicitAny: WebCrypto's JWK parameter type differs between type libraries
const asJwk = (jwk: Jwk) => jwk as any;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Strict base64url (no padding, no other alphabet), or undefined. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function jsonPart(text: string): unknown {
  const bytes = fromBase64url(text);
  if (!bytes) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Upstream's key id: base64url(SHA-256(DER public key)), so the same key always has the same kid. */
export async function keyId(publicKey: Key): Promise<string> {
  const der = new Uint8Array((await crypto.subtle.exportKey("spki", publicKey)) as ArrayBuffer);
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", der)));
}

/** A new RSA 2048 key pair, returned as the private JWK to store (it carries the public half too). */
export async function generateSigningJwk(): Promise<Jwk> {
  const pair = (await crypto.subtle.generateKey(
    { ...RSA_PARAMS, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  )) as { privateKey: Key; publicKey: Key };
  return (await crypto.subtle.exportKey("jwk", pair.privateKey)) as Jwk;
}

/** The stored private JWK as a usable key (the private key not extractable once loaded). */
export async function loadSigningKey(privateJwk: Jwk): Promise<SigningKey> {
  const privateKey = await crypto.subtle.importKey("jwk", asJwk(privateJwk), RSA_PARAMS, false, ["sign"]);
  const { kty, n, e } = privateJwk;
  const publicKey = await crypto.subtle.importKey("jwk", asJwk({ kty, n, e }), RSA_PARAMS, true, ["verify"]);
  const kid = await keyId(publicKey);
  return { kid, privateKey, publicKey, publicJwk: { kty: kty ?? "RSA", n, e, use: "sig", alg: ALG, kid } };
}

/** A verification key from a public JWK (as /openid/v1/jwks serves it). */
export async function importPublicJwk(jwk: Jwk): Promise<Key> {
  return crypto.subtle.importKey("jwk", asJwk({ kty: jwk.kty, n: jwk.n, e: jwk.e }), RSA_PARAMS, false, ["verify"]);
}

export async function signJwt(key: SigningKey, payload: object): Promise<string> {
  const header = base64url(encoder.encode(JSON.stringify({ alg: ALG, kid: key.kid })));
  const body = base64url(encoder.encode(JSON.stringify(payload)));
  const input = `${header}.${body}`;
  const signature = await crypto.subtle.sign(RSA_PARAMS, key.privateKey, encoder.encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** The payload of a compact JWS without checking anything: only to route a token to its authenticator. */
export function peekPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const payload = jsonPart(parts[1]);
  return isObject(payload) ? payload : undefined;
}

/**
 * Checks the signature with the key the header's kid names (every key when it names none). Claims are the
 * caller's to check: this says only that one of `keys` signed exactly these bytes with RS256.
 */
export async function verifyJwt<T = Record<string, unknown>>(
  token: string,
  keys: ReadonlyMap<string, Key>,
): Promise<JwtVerification<T>> {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const header = jsonPart(parts[0]);
  const payload = jsonPart(parts[1]);
  const signature = fromBase64url(parts[2]);
  if (!isObject(header) || !isObject(payload) || !signature) return { ok: false, reason: "malformed" };
  if (header.alg !== ALG) return { ok: false, reason: "algorithm" };
  if (header.kid !== undefined && typeof header.kid !== "string") return { ok: false, reason: "malformed" };
  const candidates = header.kid === undefined ? [...keys.values()] : [keys.get(header.kid)].filter((k) => k);
  if (candidates.length === 0) return { ok: false, reason: "unknown key" };
  const input = encoder.encode(`${parts[0]}.${parts[1]}`);
  for (const key of candidates as Key[])
    if (await crypto.subtle.verify(RSA_PARAMS, key, signature, input))
      return { ok: true, header: header as unknown as JwtHeader, payload: payload as T };
  return { ok: false, reason: "signature" };
}
