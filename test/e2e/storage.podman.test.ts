// Issue 18's "must show" on Podman with two agents and real kubectl: the default class local-path, a
// claim Pending until its first consumer and then provisioned as a directory on that pod's node whose data
// outlives the pod, a StatefulSet's per-ordinal claims surviving `kubectl delete pod`, a claim's volume
// keeping its pods on its node (cordoned: Pending with upstream's message), reclaim Delete removing the
// PV and its directory while Retain leaves the PV Released, and kubectl cp through a pod's volume.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentProcess } from "../../scripts/local/local-agent.ts";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { untilNodesReady } from "./nodes-ready.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("storage e2e");

const NODE = `e2e-s-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NODES = [`${NODE}-a`, `${NODE}-b`];
const IMAGE = "busybox:stable";

const claim = (name: string, storageClassName?: string) => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name },
  spec: {
    accessModes: ["ReadWriteOnce"],
    resources: { requests: { storage: "64Mi" } },
    ...(storageClassName ? { storageClassName } : {}),
  },
});

const podWith = (name: string, claimName: string, script: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: "main",
        image: IMAGE,
        command: ["sh", "-c", script],
        volumeMounts: [{ name: "data", mountPath: "/data" }],
      },
    ],
    volumes: [{ name: "data", persistentVolumeClaim: { claimName } }],
  },
});

const statefulSet = {
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db" },
  spec: {
    replicas: 2,
    serviceName: "db",
    selector: { matchLabels: { app: "db" } },
    template: {
      metadata: { labels: { app: "db" } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: "db",
            image: IMAGE,
            // The first start writes an id the later ones only read: a fresh volume would show a new one.
            command: ["sh", "-c", '[ -f /data/id ] || echo "$(hostname)-$RANDOM$RANDOM" > /data/id; exec sleep 3600'],
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          },
        ],
      },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: "data" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "64Mi" } } },
      },
    ],
  },
};

describe.skipIf(podman.skip)("persistent storage on the nodes", () => {
  let h: Harness;
  let agents: AgentProcess[] = [];

  const get = async (what: string[]) => JSON.parse((await h.kubectl(["get", ...what, "-o", "json"])).stdout) as Json;
  const apply = (obj: unknown) => h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(obj) });
  const stateDirOf = (node: string) => agents.find((a) => a.name === node)?.stateDir ?? "";
  const waitReady = (pod: string) =>
    h.kubectl(["wait", "--for=condition=Ready", `pod/${pod}`, "--timeout=120s"], { timeoutMs: 130_000 });
  const phaseOf = async (kind: string, name: string) =>
    (await h.kubectl(["get", kind, name, "-o", "jsonpath={.status.phase}"], { allowFail: true })).stdout;

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    agents = await Promise.all(NODES.map((name) => h.flotilla.startAgent({ name, runtime: "docker" })));
    await untilNodesReady(h, NODES.length);
  }, 300_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers(NODES);
  });

  it("shows local-path as the default class", async () => {
    const out = (await h.kubectl(["get", "sc"])).stdout;
    console.log(out);
    expect(out).toMatch(/^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE/);
    expect(out).toMatch(/\nlocal-path \(default\)\s+flotilla\.dev\/local-path\s+Delete\s+WaitForFirstConsumer\s+/);
  });

  let volumeNode = "";
  let volumeDir = "";

  it("keeps a claim Pending until a pod uses it, provisions it on that pod's node, and its data outlives the pod", async () => {
    await apply(claim("notes"));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await phaseOf("pvc", "notes")).toBe("Pending");
    const waiting = (await h.kubectl(["describe", "pvc", "notes"])).stdout;
    expect(waiting).toContain("waiting for first consumer to be created before binding");

    await apply(podWith("writer", "notes", "echo written-by-writer > /data/hello; exec sleep 3600"));
    await waitReady("writer");
    const pvc = await get(["pvc", "notes"]);
    expect(pvc.status.phase).toBe("Bound");
    const pv = await get(["pv", pvc.spec.volumeName]);
    volumeNode = (await get(["pod", "writer"])).spec.nodeName;
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([volumeNode]);
    volumeDir = pv.spec.local.path;
    expect(volumeDir).toBe(join(stateDirOf(volumeNode), "volumes", pvc.spec.volumeName));
    expect(await readFile(join(volumeDir, "hello"), "utf8")).toBe("written-by-writer\n");
    const described = (await h.kubectl(["describe", "pvc", "notes"])).stdout;
    console.log(described);
    expect(described).toMatch(
      /Provisioning\s+.*External provisioner is provisioning volume for claim "default\/notes"/,
    );
    expect(described).toMatch(/ProvisioningSucceeded\s+.*Successfully provisioned volume pvc-/);
    expect((await h.kubectl(["get", "pv,pvc"])).stdout).toMatch(/persistentvolumeclaim\/notes\s+Bound\s+pvc-/);

    await h.kubectl(["delete", "pod", "writer", "--wait=true"], { timeoutMs: 60_000 });
    await apply(podWith("reader", "notes", "cat /data/hello; exec sleep 3600"));
    await waitReady("reader");
    expect((await get(["pod", "reader"])).spec.nodeName).toBe(volumeNode);
    const logs = await until("the reader's output", async () => {
      const out = (await h.kubectl(["logs", "reader"], { allowFail: true })).stdout;
      return out ? out : undefined;
    });
    expect(logs).toBe("written-by-writer\n");
  }, 300_000);

  it("never schedules a pod of the claim to another node: cordoned, it stays Pending with upstream's message", async () => {
    await h.kubectl(["cordon", volumeNode]);
    try {
      await apply(podWith("stuck", "notes", "exec sleep 3600"));
      const message = await until("FailedScheduling for stuck", async () => {
        const list = await get(["events", "--field-selector", "involvedObject.name=stuck,reason=FailedScheduling"]);
        return list.items[0]?.message;
      });
      console.log(message);
      expect(message).toBe(
        "0/2 nodes are available: 1 node(s) had volume node affinity conflict, 1 node(s) were unschedulable. " +
          "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
      );
      const stuck = await get(["pod", "stuck"]);
      expect(stuck.status.phase).toBe("Pending");
      expect(stuck.spec.nodeName).toBeUndefined();
    } finally {
      await h.kubectl(["delete", "pod", "stuck", "--wait=false"], { allowFail: true });
      await h.kubectl(["uncordon", volumeNode]);
    }
  }, 120_000);

  it("gives a StatefulSet's pods claims data-db-0/1 that outlive `kubectl delete pod db-0`", async () => {
    await apply(statefulSet);
    await until(
      "db-1 Ready",
      async () => ((await get(["pods", "-l", "app=db"])).items.length === 2 ? true : undefined),
      180_000,
    );
    await waitReady("db-0");
    await waitReady("db-1");
    const pvcs = (await h.kubectl(["get", "pvc"])).stdout;
    console.log(pvcs);
    expect(pvcs).toMatch(/\ndata-db-0\s+Bound\s+pvc-/);
    expect(pvcs).toMatch(/\ndata-db-1\s+Bound\s+pvc-/);
    const idOf = async (pod: string) => (await h.kubectl(["exec", pod, "--", "cat", "/data/id"])).stdout.trim();
    const before = await idOf("db-0");
    expect(before).toMatch(/^db-0-\d+$/);
    const oldUid = (await get(["pod", "db-0"])).metadata.uid;
    await h.kubectl(["delete", "pod", "db-0"], { timeoutMs: 60_000 });
    await until("db-0 replaced", async () => {
      const p = await get(["pod", "db-0"]).catch(() => undefined);
      return p && p.metadata.uid !== oldUid ? true : undefined;
    });
    await waitReady("db-0");
    expect(await idOf("db-0")).toBe(before);
    expect(await idOf("db-1")).not.toBe(before);
  }, 300_000);

  it("copies files into and out of a pod's volume with kubectl cp", async () => {
    const dir = await mkdtemp(join(tmpdir(), "storage-cp-"));
    await writeFile(join(dir, "in.txt"), "copied in\n");
    await h.kubectl(["cp", join(dir, "in.txt"), "db-1:/data/in.txt"], { timeoutMs: 60_000 });
    expect((await h.kubectl(["exec", "db-1", "--", "cat", "/data/in.txt"])).stdout).toBe("copied in\n");
    await h.kubectl(["cp", "db-1:/data/id", join(dir, "id")], { timeoutMs: 60_000 });
    expect((await readFile(join(dir, "id"), "utf8")).trim()).toMatch(/^db-1-\d+$/);
  }, 120_000);

  it("removes the PV and its directory when a Delete claim goes; a Retain class leaves the PV Released", async () => {
    await h.kubectl(["delete", "pod", "reader", "--wait=true"], { timeoutMs: 60_000 });
    const pvName = (await get(["pvc", "notes"])).spec.volumeName;
    await h.kubectl(["delete", "pvc", "notes"], { timeoutMs: 60_000 });
    await until("the PV deleted", async () =>
      (await h.kubectl(["get", "pv", pvName], { allowFail: true })).code !== 0 ? true : undefined,
    );
    await until("the volume's directory removed", async () => (existsSync(volumeDir) ? undefined : true), 60_000);

    await apply({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "keep" },
      provisioner: "flotilla.dev/local-path",
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
    });
    await apply(claim("kept", "keep"));
    await apply(podWith("keeper", "kept", "echo precious > /data/p; exec sleep 3600"));
    await waitReady("keeper");
    const kept = (await get(["pvc", "kept"])).spec.volumeName;
    const keptDir = (await get(["pv", kept])).spec.local.path;
    await h.kubectl(["delete", "pod", "keeper", "--wait=true"], { timeoutMs: 60_000 });
    await h.kubectl(["delete", "pvc", "kept"], { timeoutMs: 60_000 });
    await until("the retained PV Released", async () =>
      (await phaseOf("pv", kept)) === "Released" ? true : undefined,
    );
    const listed = (await h.kubectl(["get", "pv", kept])).stdout;
    console.log(listed);
    expect(listed).toMatch(/\s+64Mi\s+RWO\s+Retain\s+Released\s+default\/kept\s+keep\s/);
    expect(await readFile(join(keptDir, "p"), "utf8")).toBe("precious\n");
    // Deleting the retained PV by hand leaves its data on the node, as upstream leaves it to the administrator.
    await h.kubectl(["delete", "pv", kept], { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await readFile(join(keptDir, "p"), "utf8")).toBe("precious\n");
  }, 300_000);

  it("mounts hand-made local and hostPath volumes: the local one's node only, readOnly and subPath honoured", async () => {
    const localDir = await mkdtemp(join(tmpdir(), "storage-local-"));
    const hostDir = await mkdtemp(join(tmpdir(), "storage-hostpath-"));
    await writeFile(join(localDir, "seed"), "from the host\n");
    const nodeB = NODES[1] ?? "";
    const pv = (name: string, spec: Json) => ({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: "manual", ...spec },
    });
    const onB = {
      required: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [nodeB] }] }],
      },
    };
    await apply({
      apiVersion: "v1",
      kind: "List",
      items: [
        pv(`${NODE}-local`, { local: { path: localDir }, nodeAffinity: onB }),
        pv(`${NODE}-host`, { hostPath: { path: hostDir, type: "Directory" } }),
        { ...claim("by-hand-local", "manual"), spec: { ...claim("x", "manual").spec, volumeName: `${NODE}-local` } },
        { ...claim("by-hand-host", "manual"), spec: { ...claim("x", "manual").spec, volumeName: `${NODE}-host` } },
      ],
    });
    await until("both hand-made claims Bound", async () =>
      (await phaseOf("pvc", "by-hand-local")) === "Bound" && (await phaseOf("pvc", "by-hand-host")) === "Bound"
        ? true
        : undefined,
    );
    await apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "by-hand" },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: "main",
            image: IMAGE,
            command: [
              "sh",
              "-c",
              "cat /in/seed > /out/copy; (echo x > /in/refused) 2>/dev/null && echo writable > /out/ro || echo read-only > /out/ro; exec sleep 3600",
            ],
            volumeMounts: [
              { name: "in", mountPath: "/in", readOnly: true },
              { name: "out", mountPath: "/out", subPath: "nested/dir" },
            ],
          },
        ],
        volumes: [
          { name: "in", persistentVolumeClaim: { claimName: "by-hand-local" } },
          { name: "out", persistentVolumeClaim: { claimName: "by-hand-host" } },
        ],
      },
    });
    await waitReady("by-hand");
    expect((await get(["pod", "by-hand"])).spec.nodeName).toBe(nodeB);
    const out = join(hostDir, "nested", "dir");
    await until("the pod's writes on the host", async () => (existsSync(join(out, "ro")) ? true : undefined));
    expect(await readFile(join(out, "copy"), "utf8")).toBe("from the host\n");
    expect(await readFile(join(out, "ro"), "utf8")).toBe("read-only\n");
    expect(existsSync(join(localDir, "refused"))).toBe(false);
    await h.kubectl(["delete", "pod", "by-hand", "--wait=false"]);
  }, 180_000);

  it("removes a deleted volume's directory when its node's agent comes back", async () => {
    const nodeB = NODES[1] ?? "";
    await apply(claim("away"));
    await apply({
      ...podWith("away-user", "away", "echo here > /data/f; exec sleep 3600"),
      spec: {
        ...podWith("away-user", "away", "echo here > /data/f; exec sleep 3600").spec,
        nodeSelector: { "kubernetes.io/hostname": nodeB },
      },
    });
    await waitReady("away-user");
    const pvName = (await get(["pvc", "away"])).spec.volumeName;
    const dir = (await get(["pv", pvName])).spec.local.path;
    expect(existsSync(join(dir, "f"))).toBe(true);
    await h.kubectl(["delete", "pod", "away-user", "--wait=true"], { timeoutMs: 60_000 });
    const index = agents.findIndex((a) => a.name === nodeB);
    await agents[index]?.stop();
    await h.kubectl(["delete", "pvc", "away"], { timeoutMs: 60_000 });
    await until("the PV deleted", async () =>
      (await h.kubectl(["get", "pv", pvName], { allowFail: true })).code !== 0 ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    expect(existsSync(dir)).toBe(true);
    agents[index] = await h.flotilla.startAgent({ name: nodeB, runtime: "docker" });
    await until(
      "the directory removed by the returning agent",
      async () => (existsSync(dir) ? undefined : true),
      90_000,
    );
  }, 240_000);
});
