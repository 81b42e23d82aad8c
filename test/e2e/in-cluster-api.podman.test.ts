// The API from inside the cluster (issue 16) on Podman: a pod reaches `https://kubernetes.default.svc` (the
// `kubernetes` Service's cluster IP:443, DNATed to the node agent, which serves TLS with a certificate the
// cluster CA signed and forwards to the cluster over its own HTTPS connection), verifying the server against
// kube-root-ca.crt — with the real kubectl binary, mounted from the host, given a token and the CA, and with
// in-cluster config alone (KUBERNETES_SERVICE_HOST/PORT and the serviceaccount files; until ServiceAccount
// tokens are mounted, this test writes those files itself from a Secret env var holding the admin token).
// The pod's own token decides: none is 401, a shared-access user bound to `view` reads and is Forbidden to write.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import { WEB_IMAGE } from "./fixtures/web-app.ts";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("in-cluster API e2e");

const NODE = `e2e-api-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** A real kubectl build (static Go), beside the dispatcher on PATH. */
const KUBECTL_BUILD = "kubectl.1.32";

function apiClientPod(binDir: string) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "api-client" },
    spec: {
      nodeName: NODE,
      // This pod writes its own serviceaccount files (a chosen credential); the mounted token would sit there read-only.
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: "sh",
          image: WEB_IMAGE,
          command: [
            "sh",
            "-c",
            `mkdir -p ${SA_DIR} && echo -n "$TOKEN" > ${SA_DIR}/token && cp /ca/ca.crt ${SA_DIR}/ca.crt && echo -n default > ${SA_DIR}/namespace && exec sleep 3600`,
          ],
          env: [
            { name: "HOME", value: "/tmp" },
            { name: "TOKEN", valueFrom: { secretKeyRef: { name: "in-cluster-token", key: "token" } } },
            { name: "VIEWER_TOKEN", valueFrom: { secretKeyRef: { name: "in-cluster-token", key: "viewer" } } },
          ],
          volumeMounts: [
            { name: "kubectl", mountPath: "/kbin", readOnly: true },
            { name: "ca", mountPath: "/ca", readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: "kubectl", hostPath: { path: binDir, type: "Directory" } },
        { name: "ca", configMap: { name: "kube-root-ca.crt" } },
      ],
    },
  };
}

describe.skipIf(podman.skip)("the API from inside the cluster", () => {
  let h: Harness;
  const inPod = (script: string, allowFail = false) =>
    h.kubectl(["exec", "api-client", "--", "sh", "-c", script], { timeoutMs: 60_000, allowFail });
  const kubectlInPod = `/kbin/${KUBECTL_BUILD}`;

  beforeAll(async () => {
    podman.require();
    const binDir = path.dirname(fs.realpathSync(requireKubectl()));
    expect(fs.existsSync(path.join(binDir, KUBECTL_BUILD)), `${KUBECTL_BUILD} beside ${binDir}`).toBe(true);
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    // A shared-access user (the owner's /v1), bound to `view` in default.
    const viewer = await httpsRequest(`${h.flotilla.url}/v1/clusters/${h.flotilla.clusterId}/users`, {
      method: "POST",
      ca: h.flotilla.caPem,
      headers: { authorization: `Bearer ${h.flotilla.accountToken}`, "content-type": "application/json" },
      body: JSON.stringify({ username: "viewer" }),
    });
    expect(viewer.status, viewer.body).toBe(201);
    await h.kubectl(["create", "rolebinding", "viewer-view", "--clusterrole=view", "--user=viewer"]);
    await h.kubectl([
      "create",
      "secret",
      "generic",
      "in-cluster-token",
      `--from-literal=token=${h.flotilla.adminToken}`,
      `--from-literal=viewer=${JSON.parse(viewer.body).token}`,
    ]);
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(apiClientPod(binDir)) });
    await h.kubectl(["wait", "--for=condition=Ready", "pod/api-client", "--timeout=120s"], { timeoutMs: 130_000 });
  }, 240_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("publishes the cluster CA in kube-root-ca.crt, and pods are told the kubernetes Service at 443", async () => {
    const ep = JSON.parse((await h.kubectl(["get", "endpoints", "kubernetes", "-o", "json"])).stdout) as Json;
    expect(ep.subsets[0].ports[0].port).toBe(443);
    const cm = JSON.parse((await h.kubectl(["get", "configmap", "kube-root-ca.crt", "-o", "json"])).stdout) as Json;
    expect(cm.data["ca.crt"]).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const env = (await inPod("env")).stdout;
    const clusterIP = JSON.parse((await h.kubectl(["get", "service", "kubernetes", "-o", "json"])).stdout).spec
      .clusterIP;
    expect(env).toContain(`KUBERNETES_SERVICE_HOST=${clusterIP}`);
    expect(env).toContain("KUBERNETES_SERVICE_PORT=443");
    expect(ep.subsets[0].addresses[0].ip).toBe(clusterIP);
  });

  it("kubectl --server=https://kubernetes.default.svc with the token and ca.crt verifies the server and reads", async () => {
    const flags = `--server=https://kubernetes.default.svc --certificate-authority=/ca/ca.crt --token="$TOKEN"`;
    const version = JSON.parse((await inPod(`${kubectlInPod} ${flags} get --raw /version`)).stdout);
    expect(version).toMatchObject({ major: "1" });
    const pods = (await inPod(`${kubectlInPod} ${flags} get pods -o name`)).stdout;
    expect(pods).toContain("pod/api-client");
    // Every name upstream's certificate carries, and the cluster IP itself.
    for (const host of [
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc.cluster.local",
      "$KUBERNETES_SERVICE_HOST",
    ]) {
      const out = await inPod(
        `${kubectlInPod} --server=https://${host} --certificate-authority=/ca/ca.crt --token="$TOKEN" get --raw /version`,
      );
      expect(JSON.parse(out.stdout).major, host).toBe("1");
    }
  }, 120_000);

  it("kubectl with in-cluster config only (KUBERNETES_SERVICE_HOST/PORT and the serviceaccount files)", async () => {
    const pods = (await inPod(`${kubectlInPod} get pods -o name`)).stdout;
    expect(pods).toContain("pod/api-client");
    const created = await inPod(`${kubectlInPod} create configmap from-inside --from-literal=k=v`);
    expect(created.stdout).toContain("configmap/from-inside created");
    const seen = JSON.parse((await h.kubectl(["get", "configmap", "from-inside", "-o", "json"])).stdout);
    expect(seen.data).toEqual({ k: "v" });
  }, 120_000);

  it("passes the pod's own token through: none is 401, a view user reads and is Forbidden to write", async () => {
    const server = "--server=https://kubernetes.default.svc --certificate-authority=/ca/ca.crt";
    // No token: over TLS kubectl insists on some credential (it would prompt for a password), so it is given
    // a blank one, which goes out as a bare `Authorization: Bearer` — no token, as upstream's authenticator sees it.
    const none = await inPod(
      `${kubectlInPod} ${server} --token=" " -v=6 get --raw /api/v1/namespaces/default/pods`,
      true,
    );
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(
      /GET https:\/\/kubernetes.default.svc\/api\/v1\/namespaces\/default\/pods 401 Unauthorized/,
    );
    const viewer = `${kubectlInPod} ${server} --token="$VIEWER_TOKEN"`;
    expect((await inPod(`${viewer} auth whoami -o jsonpath={.status.userInfo.username}`)).stdout).toBe("viewer");
    expect((await inPod(`${viewer} get pods -o name`)).stdout).toContain("pod/api-client");
    const write = await inPod(`${viewer} create configmap by-viewer`, true);
    expect(write.code).not.toBe(0);
    // The first line is the pod's kubectl; the next, the outer `kubectl exec` reporting its exit code.
    expect(write.stderr.split("\n")[0]).toBe(
      'error: failed to create configmap: configmaps is forbidden: User "viewer" cannot create resource "configmaps" in API group "" in the namespace "default"',
    );
  }, 120_000);

  it("a bad token is 401, and a CA that is not the cluster's fails verification", async () => {
    const bad = await inPod(
      `${kubectlInPod} --server=https://kubernetes.default.svc --certificate-authority=/ca/ca.crt --token=fltc_wrong get --raw /version`,
      true,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Unauthorized/);
    // Without ca.crt the pod has no root that signed the endpoint's certificate (busybox has no CA bundle).
    const unverified = await inPod(
      `${kubectlInPod} --server=https://kubernetes.default.svc --token="$TOKEN" get --raw /version`,
      true,
    );
    expect(unverified.code).not.toBe(0);
    expect(unverified.stderr).toMatch(/certificate signed by unknown authority/);
  }, 120_000);

  it("streams ride it too: kubectl exec from inside the pod into itself", async () => {
    const out = await inPod(`${kubectlInPod} exec api-client -- echo hello-from-inside`);
    expect(out.stdout.trim()).toBe("hello-from-inside");
  }, 120_000);
});
