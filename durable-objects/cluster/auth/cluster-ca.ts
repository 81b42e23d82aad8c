// The cluster's own certificate authority: made in the object with WebCrypto on first use, its private key
// kept in the object's SQLite (meta table) and never sent anywhere. Its certificate is what pods trust as
// `ca.crt` (ConfigMap kube-root-ca.crt); it signs only the serving certificates of the in-cluster API
// endpoint that node agents present on the `kubernetes` Service (kubernetes.default.svc).
import {
  base64Decode,
  base64Encode,
  checkP256Spki,
  inClusterNames,
  newKeyPair,
  pem,
  signCertificate,
  spkiOf,
} from "../../../kube/x509.ts";

const CA_KEY = "flotilla.ca";
const CA_NAME = "kubernetes"; // kubeadm's CA common name
const SERVING_NAME = "kube-apiserver";
const DAY_MS = 24 * 3600 * 1000;
const CA_VALIDITY_MS = 10 * 365 * DAY_MS; // kubeadm's
const SERVING_VALIDITY_MS = 365 * DAY_MS; // kubeadm's; agents ask again on every start
/** Clocks of nodes may run behind the object's. */
const BACKDATE_MS = 5 * 60 * 1000;

interface StoredCA {
  /** PKCS#8 of the private key, base64. */
  key: string;
  /** The CA certificate, PEM. */
  cert: string;
  /** Its SubjectPublicKeyInfo, base64. */
  spki: string;
}

interface LoadedCA {
  certPem: string;
  spki: Uint8Array;
  privateKey: CryptoKey;
}

export class ClusterCA {
  #sql: SqlStorage;
  #now: () => number;
  #loaded: Promise<LoadedCA> | undefined;
  #certPem: string | undefined;

  constructor(sql: SqlStorage, now: () => number) {
    this.#sql = sql;
    this.#now = now;
    const stored = this.#read();
    this.#certPem = stored?.cert;
  }

  /** The CA certificate (PEM) once made; undefined before the first `ensure()`. */
  get certificatePem(): string | undefined {
    return this.#certPem;
  }

  /** Makes the CA if the cluster has none yet; resolves to its certificate. */
  async ensure(): Promise<string> {
    return (await this.#load()).certPem;
  }

  /**
   * A serving certificate for the in-cluster API endpoint, for a public key the agent made (P-256 SPKI, DER).
   * The names are fixed here, never taken from the caller: upstream's in-cluster names and the Service's IP.
   */
  async signServing(subjectSpki: Uint8Array, clusterIP: string): Promise<{ certificate: string; ca: string }> {
    await checkP256Spki(subjectSpki);
    const ca = await this.#load();
    const now = this.#now();
    const der = await signCertificate({
      subjectSpki,
      commonName: SERVING_NAME,
      notBefore: now - BACKDATE_MS,
      notAfter: now + SERVING_VALIDITY_MS,
      isCA: false,
      dnsNames: inClusterNames(),
      ips: [clusterIP],
      issuer: { commonName: CA_NAME, spki: ca.spki, privateKey: ca.privateKey },
    });
    return { certificate: pem("CERTIFICATE", der), ca: ca.certPem };
  }

  #load(): Promise<LoadedCA> {
    this.#loaded ??= this.#loadOrCreate().catch((error) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  async #loadOrCreate(): Promise<LoadedCA> {
    const stored = this.#read();
    if (stored) {
      const privateKey = await crypto.subtle.importKey(
        "pkcs8",
        base64Decode(stored.key),
        { name: "ECDSA", namedCurve: "P-256" },
        false,
        ["sign"],
      );
      return { certPem: stored.cert, spki: base64Decode(stored.spki), privateKey };
    }
    const pair = await newKeyPair();
    const spki = await spkiOf(pair.publicKey);
    const now = this.#now();
    const der = await signCertificate({
      subjectSpki: spki,
      commonName: CA_NAME,
      notBefore: now - BACKDATE_MS,
      notAfter: now + CA_VALIDITY_MS,
      isCA: true,
      issuer: { commonName: CA_NAME, spki, privateKey: pair.privateKey },
    });
    const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
    const certPem = pem("CERTIFICATE", der);
    // Made once, while the object starts (inside blockConcurrencyWhile), so no second maker races this one.
    const record: StoredCA = { key: base64Encode(pkcs8), cert: certPem, spki: base64Encode(spki) };
    this.#sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", CA_KEY, JSON.stringify(record));
    this.#certPem = certPem;
    const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, false, [
      "sign",
    ]);
    return { certPem, spki, privateKey };
  }

  #read(): StoredCA | undefined {
    const rows = this.#sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", CA_KEY).toArray();
    return rows[0] ? (JSON.parse(rows[0].value) as StoredCA) : undefined;
  }
}
