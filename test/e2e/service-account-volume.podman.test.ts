// Issue 16's ServiceAccount volume end to end on a real agent (Podman) with the real kubectl: a pod gets
// the kube-api-access-* projected volume at admission, and its container reads the bound token, ca.crt and
// namespace at /var/run/secrets/kubernetes.io/serviceaccount; the token is the pod's ServiceAccount bound to
// the pod and node, RBAC decides what it may do, and it stops working when the pod is deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { until } from "./poll.ts";

const podman = await podmanGate("service account volume e2e");

const IMAGE = "busybox:stable";
const NODE = `e2e-sa-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
const USER = "system:serviceaccount:default:default";

// biome-ignore lint/suspicious/noExplicitAny: kubectl's JSON output is read field by field
type Json = any;

/** A sleeping busybox pod on the agent's node. */
const sleeper = (name: string, spec: Json = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: "main", image: IMAGE, command: ["sleep", "3600"] }],
      ...spec,
    },
  });

const claims = (token: string): Json => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

describe.skipIf(podman.skip)("the ServiceAccount token volume on a real node", () => {
  let h: Harness;
  const run = (args: string[]) => h.kubectl(args, { allowFail: true });
  const getJson = async (...args: string[]): Promise<Json> =>
    JSON.parse((await h.kubectl(["get", ...args, "-o", "json"])).stdout);
  const read = async (pod: string, file: string) =>
    (await h.kubectl(["exec", pod, "--", "cat", `${MOUNT}/${file}`])).stdout;

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    // The cluster's CA is published in kube-root-ca.crt by the root CA publisher; the projected volume needs
    // it (as upstream, not optional). A cluster without the publisher gets a stand-in for this test.
    const published = await until(
      "kube-root-ca.crt",
      async () => ((await run(["get", "configmap", "kube-root-ca.crt", "-o", "name"])).code === 0 ? true : undefined),
      5_000,
    ).catch(() => false);
    if (!published) {
      const ca = "-----BEGIN CERTIFICATE-----\nMIIBstandin\n-----END CERTIFICATE-----\n";
      await h.kubectl(["create", "configmap", "kube-root-ca.crt", `--from-literal=ca.crt=${ca}`]);
    }
    await h.kubectl(["apply", "-f", "-"], { stdin: sleeper("reader") });
    await until("reader running", async () =>
      (await getJson("pod", "reader")).status?.phase === "Running" ? true : undefined,
    );
  }, 180_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("mounts token, ca.crt and namespace read-only; the token is the pod's, bound to it and its node", async () => {
    const pod = await getJson("pod", "reader");
    expect(pod.spec.serviceAccountName).toBe("default");
    const volume = pod.spec.volumes.find((v: Json) => v.name.startsWith("kube-api-access-"));
    expect(pod.spec.containers[0].volumeMounts).toEqual([{ name: volume.name, readOnly: true, mountPath: MOUNT }]);

    expect(await read("reader", "namespace")).toBe("default");
    const ca = (await getJson("configmap", "kube-root-ca.crt")).data["ca.crt"];
    expect(await read("reader", "ca.crt")).toBe(ca);
    const token = await read("reader", "token");
    expect(claims(token)).toMatchObject({
      sub: USER,
      "kubernetes.io": { namespace: "default", pod: { name: "reader", uid: pod.metadata.uid }, node: { name: NODE } },
    });
    // A read-only mount: the container cannot replace its token.
    const write = await run(["exec", "reader", "--", "sh", "-c", `echo x > ${MOUNT}/token`]);
    expect(write.code).not.toBe(0);

    const who = await run(["auth", "whoami", `--token=${token}`]);
    expect(who.stdout).toMatch(new RegExp(`^Username\\s+${USER}$`, "m"));
    expect(who.stdout).toMatch(/^Extra: authentication.kubernetes.io\/pod-name\s+\[reader\]$/m);

    // RBAC: nothing without a binding, listing pods with one, still no delete.
    const denied = await run(["get", "pods", `--token=${token}`]);
    expect(denied.stderr).toContain(`User "${USER}" cannot list resource "pods"`);
    await h.kubectl(["create", "role", "pod-reader", "--verb=get,list", "--resource=pods"]);
    await h.kubectl([
      "create",
      "rolebinding",
      "default-reads",
      "--role=pod-reader",
      "--serviceaccount=default:default",
    ]);
    const listed = await run(["get", "pods", `--token=${token}`, "-o", "name"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("pod/reader");
    const del = await run(["delete", "pod", "reader", `--token=${token}`]);
    expect(del.stderr).toContain(`pods "reader" is forbidden: User "${USER}" cannot delete resource "pods"`);

    // The pod deleted, its token is refused.
    await h.kubectl(["delete", "pod", "reader", "--wait=true", "--timeout=60s"]);
    const after = await run(["auth", "whoami", `--token=${token}`]);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain("Unauthorized");
  });

  it("automountServiceAccountToken: false mounts nothing", async () => {
    await h.kubectl(["apply", "-f", "-"], { stdin: sleeper("quiet", { automountServiceAccountToken: false }) });
    await until("quiet running", async () =>
      (await getJson("pod", "quiet")).status?.phase === "Running" ? true : undefined,
    );
    const ls = await run(["exec", "quiet", "--", "ls", MOUNT]);
    expect(ls.code).not.toBe(0);
    expect(ls.stderr).toContain("No such file or directory");
  });
});
