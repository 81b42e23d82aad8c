// Issue 16's ServiceAccount volume end to end on a real agent (Podman) with the real kubectl: a pod gets
// the kube-api-access-* projected volume at admission, and its container reads the bound token, ca.crt and
// namespace at /var/run/secrets/kubernetes.io/serviceaccount; the token is the pod's ServiceAccount bound to
// the pod and node, RBAC decides what it may do, and it stops working when the pod is deleted. A real kubectl
// binary (mounted from the host) in a pod, with in-cluster config only (the mounted token and ca.crt, the
// KUBERNETES_SERVICE_* variables), lists pods once its ServiceAccount is bound to a Role and is Forbidden otherwise.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("service account volume e2e");

const IMAGE = "busybox:stable";
const NODE = `e2e-sa-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
const USER = "system:serviceaccount:default:default";
/** A real kubectl build (static Go), beside the dispatcher on PATH, run inside a pod. */
const KUBECTL_BUILD = "kubectl.1.32";

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
    // The projected volume needs the cluster CA that the root CA publisher keeps in every namespace.
    await until("kube-root-ca.crt", async () =>
      (await run(["get", "configmap", "kube-root-ca.crt", "-o", "name"])).code === 0 ? true : undefined,
    );
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

  it("a real kubectl in a pod with in-cluster config only: Forbidden without a binding, lists with one", async () => {
    const binDir = path.dirname(fs.realpathSync(requireKubectl()));
    expect(fs.existsSync(path.join(binDir, KUBECTL_BUILD)), `${KUBECTL_BUILD} beside ${binDir}`).toBe(true);
    await h.kubectl(["create", "serviceaccount", "lister"]);
    const spec = {
      serviceAccountName: "lister",
      volumes: [{ name: "kubectl", hostPath: { path: binDir, type: "Directory" } }],
      containers: [
        {
          name: "main",
          image: IMAGE,
          command: ["sleep", "3600"],
          env: [{ name: "HOME", value: "/tmp" }],
          volumeMounts: [{ name: "kubectl", mountPath: "/kbin", readOnly: true }],
        },
      ],
    };
    await h.kubectl(["apply", "-f", "-"], { stdin: sleeper("lister", spec) });
    await h.kubectl(["wait", "--for=condition=Ready", "pod/lister", "--timeout=120s"], { timeoutMs: 130_000 });
    const kubectl = (args: string) =>
      h.kubectl(["exec", "lister", "--", "sh", "-c", `/kbin/${KUBECTL_BUILD} ${args}`], {
        allowFail: true,
        timeoutMs: 60_000,
      });
    const lister = "system:serviceaccount:default:lister";
    const denied = await kubectl("get pods");
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      `pods is forbidden: User "${lister}" cannot list resource "pods" in API group "" in the namespace "default"`,
    );
    await h.kubectl(["create", "role", "lister-pods", "--verb=get,list,watch", "--resource=pods"]);
    await h.kubectl(["create", "rolebinding", "lister-pods", "--role=lister-pods", "--serviceaccount=default:lister"]);
    const listed = await kubectl("get pods -o name");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("pod/lister");
    const who = await kubectl("auth whoami");
    expect(who.stdout).toMatch(new RegExp(`^Username\\s+${lister}$`, "m"));
    const del = await kubectl("delete pod lister");
    expect(del.code).not.toBe(0);
    expect(del.stderr).toContain(`pods "lister" is forbidden: User "${lister}" cannot delete resource "pods"`);
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
