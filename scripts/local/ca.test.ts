import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureCertificates, generateCa, generateServerCert, LOCAL_SERVER_NAMES, serverCertUsable } from "./ca.ts";
import { homePaths } from "./home.ts";

// Tests here generate RSA keys (CPU-bound): leave room on a loaded machine.
const KEYGEN_TIMEOUT = { timeout: 30_000 };

const ca = generateCa();
const otherCa = generateCa();
const server = generateServerCert(ca, LOCAL_SERVER_NAMES);
const x509 = (pem: string) => new crypto.X509Certificate(pem);
const DAY = 24 * 60 * 60 * 1000;

const tmpDirs: string[] = [];
function tmpHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-ca-"));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("generateCa", () => {
  it("is a self-signed CA certificate matching its key", () => {
    const cert = x509(ca.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(crypto.createPrivateKey(ca.keyPem))).toBe(true);
    expect(cert.subject).toContain("CN=Flotilla local CA");
  });
});

describe("generateServerCert", KEYGEN_TIMEOUT, () => {
  const cert = x509(server.certPem);

  it("is signed by the CA and not by another one", () => {
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(x509(ca.certPem))).toBe(true);
    expect(cert.verify(x509(ca.certPem).publicKey)).toBe(true);
    expect(cert.verify(x509(otherCa.certPem).publicKey)).toBe(false);
    expect(cert.checkPrivateKey(crypto.createPrivateKey(server.keyPem))).toBe(true);
  });

  it.each([
    ["IP", "127.0.0.1", true],
    ["IP", "::1", true],
    ["IP", "10.0.0.1", false],
    ["DNS", "localhost", true],
    ["DNS", "example.com", false],
  ] as const)("SAN %s %s present: %s", (kind, name, present) => {
    const matched = kind === "IP" ? cert.checkIP(name) : cert.checkHost(name);
    expect(matched !== undefined).toBe(present);
  });

  it("is valid for server authentication now", () => {
    expect(cert.keyUsage).toContain("1.3.6.1.5.5.7.3.1");
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * DAY);
  });

  it("passes a real TLS handshake against the CA and fails against another CA", async () => {
    const srv = https.createServer({ cert: server.certPem, key: server.keyPem }, (_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
    const { port } = srv.address() as AddressInfo;
    const get = (caPem: string) =>
      new Promise<string>((resolve, reject) => {
        https
          .get({ host: "127.0.0.1", port, path: "/", ca: caPem, agent: false }, (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve(body));
          })
          .on("error", reject);
      });
    try {
      await expect(get(ca.certPem)).resolves.toBe("ok");
      await expect(get(otherCa.certPem)).rejects.toThrow();
    } finally {
      srv.close();
    }
  });
});

describe("serverCertUsable", () => {
  const now = new Date();
  it.each([
    ["a fresh cert", server, ca.certPem, LOCAL_SERVER_NAMES, now, true],
    ["a missing cert", { keyPem: server.keyPem }, ca.certPem, LOCAL_SERVER_NAMES, now, false],
    ["a missing key", { certPem: server.certPem }, ca.certPem, LOCAL_SERVER_NAMES, now, false],
    ["garbage", { certPem: "nope", keyPem: "nope" }, ca.certPem, LOCAL_SERVER_NAMES, now, false],
    ["another CA", server, otherCa.certPem, LOCAL_SERVER_NAMES, now, false],
    ["a mismatched key", { certPem: server.certPem, keyPem: ca.keyPem }, ca.certPem, LOCAL_SERVER_NAMES, now, false],
    ["a cert near expiry", server, ca.certPem, LOCAL_SERVER_NAMES, new Date(now.getTime() + 360 * DAY), false],
    ["a missing name", server, ca.certPem, { ips: ["192.168.1.1"], dnsNames: [] }, now, false],
  ])("%s → %s", (_name, pair, caPem, names, at, usable) => {
    expect(serverCertUsable(pair, caPem, names, at)).toBe(usable);
  });
});

describe("ensureCertificates", KEYGEN_TIMEOUT, () => {
  it("creates the CA and server cert once, then reuses them", () => {
    const paths = homePaths(tmpHome());
    const first = ensureCertificates(paths);
    expect(first).toMatchObject({ caCreated: true, serverCreated: true });
    const caPem = fs.readFileSync(paths.caCert, "utf8");
    const serverPem = fs.readFileSync(paths.serverCert, "utf8");
    expect(first.caPem).toBe(caPem);
    expect(fs.statSync(paths.caKey).mode & 0o777).toBe(0o600);
    expect(fs.statSync(paths.serverKey).mode & 0o777).toBe(0o600);

    const second = ensureCertificates(paths);
    expect(second).toMatchObject({ caCreated: false, serverCreated: false, caPem });
    expect(fs.readFileSync(paths.serverCert, "utf8")).toBe(serverPem);
  });

  it("regenerates only the server cert when it is missing or expiring", () => {
    const paths = homePaths(tmpHome());
    ensureCertificates(paths);
    const caPem = fs.readFileSync(paths.caCert, "utf8");
    const serverPem = fs.readFileSync(paths.serverCert, "utf8");

    fs.rmSync(paths.serverCert);
    expect(ensureCertificates(paths)).toMatchObject({ caCreated: false, serverCreated: true });
    const renewed = fs.readFileSync(paths.serverCert, "utf8");
    expect(renewed).not.toBe(serverPem);
    expect(x509(renewed).checkIssued(x509(caPem))).toBe(true);

    const later = new Date(Date.now() + 364 * DAY);
    expect(ensureCertificates(paths, LOCAL_SERVER_NAMES, later)).toMatchObject({
      caCreated: false,
      serverCreated: true,
    });
    expect(fs.readFileSync(paths.caCert, "utf8")).toBe(caPem);
  });

  it("replaces a corrupt CA and re-issues the server cert under it", () => {
    const paths = homePaths(tmpHome());
    ensureCertificates(paths);
    fs.writeFileSync(paths.caCert, "not a certificate");
    const result = ensureCertificates(paths);
    expect(result).toMatchObject({ caCreated: true, serverCreated: true });
    expect(x509(fs.readFileSync(paths.serverCert, "utf8")).checkIssued(x509(result.caPem))).toBe(true);
  });
});
