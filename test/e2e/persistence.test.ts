// The cluster survives a server restart: objects, resourceVersions, the revision counter and the change log
// that watches resume from.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const BUNDLE = path.join(import.meta.dirname, "fixtures", "app-bundle.yaml");

const LISTS = [
  "/api/v1/namespaces",
  "/api/v1/namespaces/default/pods",
  "/api/v1/namespaces/default/configmaps",
  "/api/v1/namespaces/default/secrets",
  "/api/v1/namespaces/default/services",
  "/apis/apps/v1/namespaces/default/deployments",
];

interface KubeList {
  metadata: { resourceVersion: string };
  items: { metadata: { name: string; resourceVersion: string } }[];
}

interface WatchEvent {
  type: string;
  object: { metadata: { name: string; resourceVersion: string } };
}

describe("persistence across a restart", () => {
  let h: Harness;

  const list = async (apiPath: string): Promise<KubeList> => {
    const res = await h.api(apiPath);
    expect(res.status, `${apiPath}: ${res.body}`).toBe(200);
    return JSON.parse(res.body) as KubeList;
  };
  const listAll = async () => Promise.all(LISTS.map(list));
  /** Waits until the controllers are done reacting (the bundle's deployment makes a replica set and pods). */
  const settle = async () => {
    let last = "";
    for (let stable = 0; stable < 3; ) {
      await new Promise((r) => setTimeout(r, 300));
      const rv = (await list("/api/v1/namespaces")).metadata.resourceVersion;
      stable = rv === last ? stable + 1 : 0;
      last = rv;
    }
  };
  const podRV = async (name: string) =>
    (await h.kubectl(["get", "pod", name, "-o", "jsonpath={.metadata.resourceVersion}"])).stdout;

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("keeps every object, its resourceVersion and the revision counter; watches resume from before", async () => {
    await h.kubectl(["create", "-f", BUNDLE]);
    // Through -f: `kubectl create namespace` uses the typed (protobuf) client, covered in kubectl-basics.
    await h.kubectl(["create", "-f", "-"], { stdin: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n" });
    for (const name of ["p1", "p2"]) await h.kubectl(["run", name, "--image=nginx"]);
    await settle();
    const since = (await list("/api/v1/namespaces/default/pods")).metadata.resourceVersion;

    // Changes after `since`, which a watch from `since` must replay after the restart.
    await h.kubectl(["run", "p3", "--image=nginx"]);
    await h.kubectl(["label", "pod", "p2", "moved=yes"]);
    await h.kubectl(["delete", "pod", "p1"]);
    const expectedEvents = [
      ["ADDED", "p3", await podRV("p3")],
      ["MODIFIED", "p2", await podRV("p2")],
    ];

    await settle();
    const before = await listAll();
    const revision = before[0]!.metadata.resourceVersion;
    for (const l of before) expect(l.metadata.resourceVersion).toBe(revision);
    expect(Number(revision)).toBeGreaterThan(Number(since));
    const runPods = (l: KubeList) => l.items.map((p) => p.metadata.name).filter((n) => /^p\d$/.test(n));
    expect(runPods(before[1]!).sort()).toEqual(["p2", "p3"]);

    await h.restart();

    // Every object byte for byte (uid, timestamps, cluster IP, resourceVersion), and the same list revision.
    expect(await listAll()).toEqual(before);
    const table = (await h.kubectl(["get", "pods"])).stdout;
    expect(table).toMatch(/^p2\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    expect(table).toMatch(/^p3\s+0\/1\s+Pending\s+0\s+\d+s$/m);

    // The counter carries on where it stopped.
    await h.kubectl(["run", "p4", "--image=nginx"]);
    expect(await podRV("p4")).toBe(String(Number(revision) + 1));

    // A watch from before the restart replays, in order, what happened since.
    const res = await h.api(`/api/v1/namespaces/default/pods?watch=1&resourceVersion=${since}&timeoutSeconds=2`, {
      timeoutMs: 20_000,
    });
    expect(res.status, res.body).toBe(200);
    const events = res.body
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as WatchEvent)
      .map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion]);
    expect(events.map((e) => e.slice(0, 2))).toEqual([
      ["ADDED", "p3"],
      ["MODIFIED", "p2"],
      ["DELETED", "p1"],
      ["ADDED", "p4"],
    ]);
    expect(events.slice(0, 2)).toEqual(expectedEvents);
    const rvs = events.map((e) => Number(e[2]));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(rvs[3]).toBe(Number(revision) + 1);
  });
});
