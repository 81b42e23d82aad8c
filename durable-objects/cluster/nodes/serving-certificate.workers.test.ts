// The cluster CA through the real Worker and object: kube-root-ca.crt in every namespace (upstream's
// root-ca-cert-publisher, put back when edited or deleted), serving certificates only for node credentials, and
// the kubernetes Service's endpoints.
import { beforeAll, describe, expect, it } from "vitest";
import { call, createCluster, joinNode, kube, signup, type TenantCluster } from "../../../worker/testing/tenants.ts";

let cluster: TenantCluster;
let nodeCredential: string;

const CM = "/api/v1/namespaces/default/configmaps/kube-root-ca.crt";

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const rootCA = (ns: string) =>
  until(`kube-root-ca.crt in ${ns}`, async () => {
    const res = await kube(
      cluster.id,
      cluster.adminToken,
      "GET",
      `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`,
    );
    return res.status === 200 ? res.body : undefined;
  });

async function servingKey(): Promise<string> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  return btoa(String.fromCharCode(...spki));
}

const askCertificate = (token: string, body: unknown) =>
  call("POST", `/clusters/${cluster.id}/agent/serving-certificate`, { token, body });

beforeAll(async () => {
  cluster = await createCluster(await signup());
  nodeCredential = await joinNode(cluster, "n1");
});

describe("kube-root-ca.crt", () => {
  it("is in every system namespace, with upstream's annotation and the CA certificate only", async () => {
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      const cm = await rootCA(ns);
      expect(Object.keys(cm.data)).toEqual(["ca.crt"]);
      expect(cm.data["ca.crt"]).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
      expect(cm.metadata.annotations["kubernetes.io/description"]).toMatch(/^Contains a CA bundle that can be used/);
    }
    const [a, b] = await Promise.all([rootCA("default"), rootCA("kube-system")]);
    expect(a.data["ca.crt"]).toBe(b.data["ca.crt"]);
  });

  it("comes into a new namespace, and is put back when edited or deleted", async () => {
    const made = await kube(cluster.id, cluster.adminToken, "POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team" },
    });
    expect(made.status).toBe(201);
    const original = (await rootCA("team")).data["ca.crt"];
    const patched = await call("PATCH", `/clusters/${cluster.id}${CM}`, {
      token: cluster.adminToken,
      body: { data: { "ca.crt": "tampered", extra: "x" } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.status, patched.text).toBe(200);
    await until("the edit undone", async () => {
      const cm = (await kube(cluster.id, cluster.adminToken, "GET", CM)).body;
      return cm.data?.["ca.crt"] === original && cm.data.extra === undefined ? true : undefined;
    });
    expect((await kube(cluster.id, cluster.adminToken, "DELETE", CM)).status).toBe(200);
    const back = await until("recreated", async () => {
      const res = await kube(cluster.id, cluster.adminToken, "GET", CM);
      return res.status === 200 ? res.body : undefined;
    });
    expect(back.data["ca.crt"]).toBe(original);
  });
});

describe("POST /agent/serving-certificate", () => {
  it("certifies a node's own P-256 key with the cluster's CA", async () => {
    const res = await askCertificate(nodeCredential, { nodeName: "n1", publicKey: await servingKey() });
    expect(res.status, res.text).toBe(201);
    expect(res.body.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(res.body.ca).toBe((await rootCA("default")).data["ca.crt"]);
    expect(res.body.clusterIP).toBe(
      (await kube(cluster.id, cluster.adminToken, "GET", "/api/v1/namespaces/default/services/kubernetes")).body.spec
        .clusterIP,
    );
  });

  it("refuses every credential but the node's own, and keys that are no P-256 keys", async () => {
    const publicKey = await servingKey();
    for (const token of [cluster.adminToken, cluster.joinToken, "", `${nodeCredential}x`]) {
      const res = await askCertificate(token, { nodeName: "n1", publicKey });
      expect(res.status, res.text).toBe(401);
      expect(res.body).toMatchObject({ kind: "Status", code: 401 });
    }
    const other = await askCertificate(nodeCredential, { nodeName: "n2", publicKey });
    expect(other.status).toBe(403);
    for (const body of [
      { nodeName: "n1" },
      { nodeName: "n1", publicKey: "not base64!" },
      { nodeName: "n1", publicKey: btoa("garbage") },
      { nodeName: "n1", publicKey: "A".repeat(4000) },
      "nope",
    ]) {
      const res = await askCertificate(nodeCredential, body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
      expect(res.body).toMatchObject({ kind: "Status", code: 400 });
    }
  });
});

describe("the kubernetes Service's endpoints", () => {
  it("name the Service's own cluster IP at 443, where every node serves the API, in Endpoints and EndpointSlice", async () => {
    const get = async (path: string) => (await kube(cluster.id, cluster.adminToken, "GET", path)).body;
    const svc = await get("/api/v1/namespaces/default/services/kubernetes");
    const ip = svc.spec.clusterIP;
    expect(svc.spec.ports).toEqual([{ name: "https", port: 443, protocol: "TCP", targetPort: 443 }]);
    const ep = await get("/api/v1/namespaces/default/endpoints/kubernetes");
    expect(ep.subsets).toEqual([{ addresses: [{ ip }], ports: [{ name: "https", port: 443, protocol: "TCP" }] }]);
    const slice = await get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
    expect(slice).toMatchObject({
      addressType: "IPv4",
      metadata: { labels: { "kubernetes.io/service-name": "kubernetes" } },
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [{ name: "https", port: 443, protocol: "TCP" }],
    });
  });
});
