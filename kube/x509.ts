// X.509 certificates made with WebCrypto alone (ECDSA P-256, SHA-256): a cluster's CA and the serving
// certificates it signs. Only what Go's crypto/x509 and Node's TLS need is encoded — DER by hand, since
// no npm X.509 library is needed for a handful of fixed structures and the key never leaves WebCrypto.
import { concatBytes } from "./bytes.ts";

/** The names upstream's apiserver certificate carries for in-cluster clients (plus the `kubernetes` Service's IP). */
export function inClusterNames(clusterDomain = "cluster.local"): string[] {
  return ["kubernetes", "kubernetes.default", "kubernetes.default.svc", `kubernetes.default.svc.${clusterDomain}`];
}

const ECDSA = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;

// Object identifiers, DER-encoded contents (without tag and length).
const OID = {
  ecdsaWithSHA256: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02],
  commonName: [0x55, 0x04, 0x03],
  basicConstraints: [0x55, 0x1d, 0x13],
  keyUsage: [0x55, 0x1d, 0x0f],
  extKeyUsage: [0x55, 0x1d, 0x25],
  subjectKeyIdentifier: [0x55, 0x1d, 0x0e],
  authorityKeyIdentifier: [0x55, 0x1d, 0x23],
  subjectAltName: [0x55, 0x1d, 0x11],
  serverAuth: [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01],
};

type Bytes = Uint8Array;
/** WebCrypto's key type, named so in Workers and in Node alike. */
export type SigningKey = Parameters<typeof crypto.subtle.sign>[1];
export interface SigningKeyPair {
  publicKey: SigningKey;
  privateKey: SigningKey;
}

function tlv(tag: number, ...contents: Bytes[]): Bytes {
  const body = concatBytes(contents);
  const n = body.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    length = [0x80 | bytes.length, ...bytes];
  }
  return concatBytes([Uint8Array.of(tag, ...length), body]);
}

const seq = (...items: Bytes[]) => tlv(0x30, ...items);
const set = (...items: Bytes[]) => tlv(0x31, ...items);
const oid = (id: number[]) => tlv(0x06, Uint8Array.from(id));
const octets = (bytes: Bytes) => tlv(0x04, bytes);
const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
const explicit = (n: number, inner: Bytes) => tlv(0xa0 | n, inner);

/** A non-negative big-endian integer: leading zeros dropped, one added where the high bit would make it negative. */
function unsignedInteger(bytes: Bytes): Bytes {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0] & 0x80 ? concatBytes([Uint8Array.of(0), trimmed]) : trimmed);
}

/** A BIT STRING of whole bytes (no unused bits), as signatures and keys are. */
const bitString = (bytes: Bytes) => tlv(0x03, Uint8Array.of(0), bytes);

/** Key usage bits (RFC 5280 order: digitalSignature is bit 0, the high bit of the first byte). */
function keyUsage(bits: number[]): Bytes {
  let value = 0;
  for (const b of bits) value |= 0x80 >> b;
  let unused = 0;
  while (unused < 7 && !(value & (1 << unused))) unused++;
  return tlv(0x03, Uint8Array.of(unused, value));
}

/** UTCTime until 2049, GeneralizedTime after, as RFC 5280 says. */
function time(ms: number): Bytes {
  const iso = new Date(ms).toISOString(); // 2026-12-07T06:34:09.123Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  const year = Number(iso.slice(0, 4));
  return year < 2050
    ? tlv(0x17, new TextEncoder().encode(`${digits.slice(2)}Z`))
    : tlv(0x18, new TextEncoder().encode(`${digits}Z`));
}

const name = (commonName: string) => seq(set(seq(oid(OID.commonName), utf8(commonName))));
const extension = (id: number[], critical: boolean, value: Bytes) =>
  critical ? seq(oid(id), tlv(0x01, Uint8Array.of(0xff)), octets(value)) : seq(oid(id), octets(value));

/** IPv4 dotted quad or IPv6 text → its address bytes; undefined when not an address. */
export function ipBytes(ip: string): Bytes | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((p) => p <= 255) ? Uint8Array.from(parts) : undefined;
  }
  return undefined;
}

function subjectAltName(dnsNames: string[], ips: string[]): Bytes {
  const names = dnsNames.map((d) => tlv(0x82, new TextEncoder().encode(d)));
  for (const ip of ips) {
    const bytes = ipBytes(ip);
    if (!bytes) throw new Error(`not an IPv4 address: ${ip}`);
    names.push(tlv(0x87, bytes));
  }
  return seq(...names);
}

/** ECDSA's raw r‖s (what WebCrypto returns) as the DER SEQUENCE of two INTEGERs X.509 carries. */
function derSignature(raw: Bytes): Bytes {
  const half = raw.length / 2;
  return seq(unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half)));
}

async function keyId(spki: Bytes): Promise<Bytes> {
  // RFC 5280's method 1 would hash only the key's bits; any stable, unique value will do (as Go's own).
  return new Uint8Array(await crypto.subtle.digest("SHA-1", spki)).subarray(0, 20);
}

function serialNumber(): Bytes {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x01; // positive, never shortened
  return unsignedInteger(bytes);
}

export interface CertificateRequest {
  /** DER SubjectPublicKeyInfo of the key being certified. */
  subjectSpki: Bytes;
  commonName: string;
  notBefore: number;
  notAfter: number;
  /** A CA certificate (self-signed when the issuer is itself). */
  isCA: boolean;
  dnsNames?: string[];
  ips?: string[];
  issuer: { commonName: string; spki: Bytes; privateKey: SigningKey };
}

/** A DER certificate signed by the issuer's key. */
export async function signCertificate(req: CertificateRequest): Promise<Bytes> {
  const sigAlg = seq(oid(OID.ecdsaWithSHA256));
  const subjectKeyId = await keyId(req.subjectSpki);
  const extensions = [
    extension(OID.basicConstraints, true, req.isCA ? seq(tlv(0x01, Uint8Array.of(0xff))) : seq()),
    // CA: digitalSignature, keyCertSign, cRLSign; serving: digitalSignature (ECDSA keys do no encipherment).
    extension(OID.keyUsage, true, req.isCA ? keyUsage([0, 5, 6]) : keyUsage([0])),
    ...(req.isCA ? [] : [extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth)))]),
    extension(OID.subjectKeyIdentifier, false, octets(subjectKeyId)),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, await keyId(req.issuer.spki)))),
    ...(req.dnsNames?.length || req.ips?.length
      ? [extension(OID.subjectAltName, false, subjectAltName(req.dnsNames ?? [], req.ips ?? []))]
      : []),
  ];
  const tbs = seq(
    explicit(0, tlv(0x02, Uint8Array.of(2))), // v3
    serialNumber(),
    sigAlg,
    name(req.issuer.commonName),
    seq(time(req.notBefore), time(req.notAfter)),
    name(req.commonName),
    req.subjectSpki,
    explicit(3, seq(...extensions)),
  );
  const signature = new Uint8Array(await crypto.subtle.sign(SIGN, req.issuer.privateKey, tbs));
  return seq(tbs, sigAlg, bitString(derSignature(signature)));
}

/** A new ECDSA P-256 key pair whose private half can be stored (exported once, into the object's own storage). */
export async function newKeyPair(): Promise<SigningKeyPair> {
  return (await crypto.subtle.generateKey(ECDSA, true, ["sign", "verify"])) as SigningKeyPair;
}

export async function spkiOf(publicKey: SigningKey): Promise<Bytes> {
  return new Uint8Array((await crypto.subtle.exportKey("spki", publicKey)) as ArrayBuffer);
}

/** Checks that `spki` is a P-256 public key (what the serving certificate may certify); throws if not. */
export async function checkP256Spki(spki: Bytes): Promise<void> {
  await crypto.subtle.importKey("spki", spki, ECDSA, true, ["verify"]);
}

export function pem(label: string, der: Bytes): string {
  let binary = "";
  for (const b of der) binary += String.fromCharCode(b);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export function base64Decode(text: string): Bytes {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

export function base64Encode(bytes: Bytes): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
