// The certificates checked by Node's own X.509 parser and a real TLS handshake (OpenSSL), not by our encoder.
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { inClusterNames, ipBytes, newKeyPair, pem, signCertificate, spkiOf } from "../../kube/x509.ts";

const NOW = Date.parse("2026-12-07T06:00:00Z");

async function makeCA() {
  const pair = await newKeyPair();
  const spki = await spkiOf(pair.publicKey);
  const der = await signCertificate({
    subjectSpki: spki,
    commonName: "kubernetes",
    notBefore: NOW - 60_000,
    notAfter: Date.parse("2056-01-01T00:00:00Z"), // past 2049: GeneralizedTime
    isCA: true,
    issuer: { commonName: "kubernetes", spki, privateKey: pair.privateKey },
  });
  return { pair, spki, pem: pem("CERTIFICATE", der) };
}

/** A serving key as the agent makes it (Node's crypto), and a certificate for it signed by `ca`. */
async function serving(ca: Awaited<ReturnType<typeof makeCA>>, notBefore = NOW - 60_000) {
  const key = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = new Uint8Array(key.publicKey.export({ type: "spki", format: "der" }));
  const der = await signCertificate({
    subjectSpki: spki,
    commonName: "kube-apiserver",
    notBefore,
    notAfter: Date.now() + 365 * 86400_000,
    isCA: false,
    dnsNames: inClusterNames(),
    ips: ["10.96.0.1"],
    issuer: { commonName: "kubernetes", spki: ca.spki, privateKey: ca.pair.privateKey },
  });
  return { keyPem: key.privateKey.export({ type: "pkcs8", format: "pem" }) as string, pem: pem("CERTIFICATE", der) };
}

describe("a cluster CA and its serving certificate", () => {
  it("parse as X.509 v3 with the CA flag, the names and the issuer's signature", async () => {
    const ca = await makeCA();
    const leaf = await serving(ca);
    const caCert = new X509Certificate(ca.pem);
    const leafCert = new X509Certificate(leaf.pem);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe("CN=kubernetes");
    expect(caCert.validTo).toMatch(/2056/);
    expect(caCert.verify(caCert.publicKey)).toBe(true);
    expect(leafCert.ca).toBe(false);
    expect(leafCert.checkIssued(caCert)).toBe(true);
    expect(leafCert.verify(caCert.publicKey)).toBe(true);
    expect(leafCert.subjectAltName).toBe(
      "DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1",
    );
    expect(leafCert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    for (const host of inClusterNames()) expect(leafCert.checkHost(host)).toBe(host);
    expect(leafCert.checkHost("example.com")).toBeUndefined();
    expect(leafCert.checkIP("10.96.0.1")).toBe("10.96.0.1");
    expect(leafCert.checkIP("10.96.0.2")).toBeUndefined();
    expect(BigInt(`0x${leafCert.serialNumber}`)).toBeGreaterThan(0n);
  });

  it("complete a TLS handshake that verifies against the CA for kubernetes.default.svc, and not against another CA", async () => {
    const ca = await makeCA();
    const other = await makeCA();
    const leaf = await serving(ca);
    const server = tls.createServer({ key: leaf.keyPem, cert: leaf.pem }, (socket) => socket.end("hello"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const connect = (caPem: string, servername: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port, ca: caPem, servername }, () => {
          socket.once("data", (d) => resolve(String(d)));
        });
        socket.on("error", reject);
      });
    try {
      expect(await connect(ca.pem, "kubernetes.default.svc")).toBe("hello");
      await expect(connect(other.pem, "kubernetes.default.svc")).rejects.toThrow(/signature|issuer|verify/i);
      await expect(connect(ca.pem, "api.example.com")).rejects.toThrow(/altnames|Hostname/i);
    } finally {
      server.close();
    }
  });
});

describe("ipBytes", () => {
  it("reads dotted quads and refuses anything else", () => {
    expect([...(ipBytes("10.96.0.1") ?? [])]).toEqual([10, 96, 0, 1]);
    expect(ipBytes("256.0.0.1")).toBeUndefined();
    expect(ipBytes("kubernetes")).toBeUndefined();
  });
});
