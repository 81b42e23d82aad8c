import crypto from "node:crypto";
import fs from "node:fs";
import forge from "node-forge";
import { type HomePaths, readIfExists, writePrivateFile } from "./home.ts";

export interface PemPair {
  certPem: string;
  keyPem: string;
}

export interface ServerNames {
  ips: string[];
  dnsNames: string[];
}

/** What kubectl, curl and browsers may call the local server; `*.flotilla.localhost`: the clusters' host names (OpenSSL and Node match a wildcard only with two labels after it, so not `*.localhost`). */
export const LOCAL_SERVER_NAMES: ServerNames = {
  ips: ["127.0.0.1", "::1"],
  dnsNames: ["localhost", "*.flotilla.localhost"],
};

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALID_DAYS = 3650;
const SERVER_VALID_DAYS = 365;
/** Renew a little before expiry so a long-running server does not cross the deadline mid-session. */
const RENEW_BEFORE_MS = 7 * DAY_MS;

// node's native RSA generation is much faster than forge's pure-JS prime search.
function newRsaKeyPair(): forge.pki.rsa.KeyPair {
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

// Positive 127-bit serial: Go's x509 rejects negative serials, and DER integers are signed.
function randomSerial(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString("hex");
}

function newCertificate(publicKey: forge.pki.PublicKey, now: Date, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  // Back-date a little so clocks that disagree by a few minutes still accept the cert.
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + validDays * DAY_MS);
  return cert;
}

export function generateCa(now: Date = new Date()): PemPair {
  const keys = newRsaKeyPair();
  const cert = newCertificate(keys.publicKey, now, CA_VALID_DAYS);
  const subject = [
    { name: "commonName", value: "Flotilla local CA" },
    { name: "organizationName", value: "Flotilla (local development)" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

export function generateServerCert(ca: PemPair, names: ServerNames, now: Date = new Date()): PemPair {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = newRsaKeyPair();
  const cert = newCertificate(keys.publicKey, now, SERVER_VALID_DAYS);
  cert.setSubject([{ name: "commonName", value: names.dnsNames[0] ?? names.ips[0] ?? "flotilla" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [...names.dnsNames.map((value) => ({ type: 2, value })), ...names.ips.map((ip) => ({ type: 7, ip }))],
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/**
 * Whether a server cert and key on disk can still be served: issued and signed by this CA, matching its key,
 * not near expiry, and covering every name. Anything unreadable counts as unusable, so a corrupt file is simply replaced.
 */
export function serverCertUsable(
  server: Partial<PemPair>,
  caPem: string,
  names: ServerNames,
  now: Date = new Date(),
): boolean {
  if (!server.certPem || !server.keyPem) return false;
  try {
    const cert = new crypto.X509Certificate(server.certPem);
    const ca = new crypto.X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (!cert.checkPrivateKey(crypto.createPrivateKey(server.keyPem))) return false;
    if (new Date(cert.validTo).getTime() - RENEW_BEFORE_MS <= now.getTime()) return false;
    if (new Date(cert.validFrom).getTime() > now.getTime()) return false;
    // A wildcard name is covered when a name it stands for is (checkHost takes host names, not patterns).
    const covered = (dns: string) => cert.checkHost(dns.replace(/^\*\./, "any.")) !== undefined;
    return names.ips.every((ip) => cert.checkIP(ip)) && names.dnsNames.every(covered);
  } catch {
    return false;
  }
}

function caUsable(pair: Partial<PemPair>, now: Date): pair is PemPair {
  if (!pair.certPem || !pair.keyPem) return false;
  try {
    const cert = new crypto.X509Certificate(pair.certPem);
    const key = crypto.createPrivateKey(pair.keyPem);
    return cert.ca && cert.checkPrivateKey(key) && new Date(cert.validTo).getTime() > now.getTime();
  } catch {
    return false;
  }
}

export interface LocalCertificates {
  caPem: string;
  /** True when this call created a new CA (old kubeconfigs no longer trust the server). */
  caCreated: boolean;
  serverCreated: boolean;
}

/** Reuses the CA and server cert in the home; creates whatever is missing, expired or not matching. */
export function ensureCertificates(
  paths: HomePaths,
  names: ServerNames = LOCAL_SERVER_NAMES,
  now: Date = new Date(),
): LocalCertificates {
  const existing = { certPem: readIfExists(paths.caCert), keyPem: readIfExists(paths.caKey) };
  let ca: PemPair;
  let caCreated = false;
  if (caUsable(existing, now)) {
    ca = existing;
  } else {
    ca = generateCa(now);
    writePrivateFile(paths.caKey, ca.keyPem);
    fs.writeFileSync(paths.caCert, ca.certPem);
    caCreated = true;
  }
  const server = { certPem: readIfExists(paths.serverCert), keyPem: readIfExists(paths.serverKey) };
  let serverCreated = false;
  if (caCreated || !serverCertUsable(server, ca.certPem, names, now)) {
    const fresh = generateServerCert(ca, names, now);
    writePrivateFile(paths.serverKey, fresh.keyPem);
    fs.writeFileSync(paths.serverCert, fresh.certPem);
    serverCreated = true;
  }
  return { caPem: ca.certPem, caCreated, serverCreated };
}
