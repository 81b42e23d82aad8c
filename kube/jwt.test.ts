import { beforeAll, describe, expect, it } from "vitest";
import {
  base64url,
  generateSigningJwk,
  type Key,
  loadSigningKey,
  peekPayload,
  type SigningKey,
  signJwt,
  verifyJwt,
} from "./jwt.ts";

const enc = (o: unknown) => base64url(new TextEncoder().encode(JSON.stringify(o)));
const dec = (part: string) => JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/")));

async function spki(key: SigningKey): Promise<Uint8Array> {
  return new Uint8Array((await crypto.subtle.exportKey("spki", key.publicKey)) as ArrayBuffer);
}

let key: SigningKey;
let other: SigningKey;
let keys: Map<string, Key>;

beforeAll(async () => {
  key = await loadSigningKey(await generateSigningJwk());
  other = await loadSigningKey(await generateSigningJwk());
  keys = new Map([[key.kid, key.publicKey]]);
});

describe("jwt", () => {
  it("signs RS256 with upstream's kid and verifies", async () => {
    const token = await signJwt(key, { sub: "system:serviceaccount:default:reader", n: 1 });
    const [header] = token.split(".");
    expect(dec(header)).toEqual({ alg: "RS256", kid: key.kid });
    // kid = base64url(SHA-256(DER SubjectPublicKeyInfo)): 43 characters of the digest of the served key.
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await spki(key)));
    expect(key.kid).toBe(base64url(digest));
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const verified = await verifyJwt(token, keys);
    expect(verified).toMatchObject({ ok: true, payload: { sub: "system:serviceaccount:default:reader", n: 1 } });
  });

  it("refuses a changed payload or signature", async () => {
    const token = await signJwt(key, { sub: "a" });
    const [h, , s] = token.split(".");
    expect(await verifyJwt(`${h}.${enc({ sub: "b" })}.${s}`, keys)).toEqual({ ok: false, reason: "signature" });
    const flipped = s.slice(0, -2) + (s.endsWith("A") ? "B" : "A") + s.slice(-1);
    expect((await verifyJwt(`${h}.${token.split(".")[1]}.${flipped}`, keys)).ok).toBe(false);
  });

  it("refuses alg none and an HMAC keyed with the public key (algorithm confusion)", async () => {
    const payload = enc({ sub: "admin" });
    expect(await verifyJwt(`${enc({ alg: "none" })}.${payload}.`, keys)).toEqual({ ok: false, reason: "algorithm" });
    const header = enc({ alg: "HS256", kid: key.kid });
    // The classic attack: HS256 with the public key (its DER bytes) as the HMAC secret.
    const hmac = await crypto.subtle.importKey("raw", await spki(key), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    const mac = base64url(
      new Uint8Array(await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(`${header}.${payload}`))),
    );
    expect(await verifyJwt(`${header}.${payload}.${mac}`, keys)).toEqual({ ok: false, reason: "algorithm" });
  });

  it("uses only the key the kid names; without a kid tries every key", async () => {
    const foreign = await signJwt(other, { sub: "x" });
    expect(await verifyJwt(foreign, keys)).toEqual({ ok: false, reason: "unknown key" });
    // The other key's token relabelled with our kid: the signature does not match our key.
    const [, p, s] = foreign.split(".");
    expect(await verifyJwt(`${enc({ alg: "RS256", kid: key.kid })}.${p}.${s}`, keys)).toEqual({
      ok: false,
      reason: "signature",
    });
    const ours = (await signJwt(key, { sub: "y" })).split(".");
    expect((await verifyJwt(`${enc({ alg: "RS256" })}.${ours[1]}.${ours[2]}`, keys)).ok).toBe(false);
    const both = new Map([...keys, [other.kid, other.publicKey]]);
    const [, fp, fs] = foreign.split(".");
    expect((await verifyJwt(`${enc({ alg: "RS256" })}.${fp}.${fs}`, both)).ok).toBe(false);
  });

  it("refuses malformed tokens without throwing", async () => {
    for (const bad of ["", "a.b", "a.b.c.d", "!!.e30.", `${enc({ alg: "RS256" })}.notjson.`, "e30.e30.###"])
      expect((await verifyJwt(bad, keys)).ok).toBe(false);
    expect(peekPayload("x.y")).toBeUndefined();
    expect(peekPayload(`a.${enc({ iss: "i" })}.c`)).toEqual({ iss: "i" });
  });
});
