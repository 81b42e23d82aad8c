// Watch streams: initial state, live changes, resume from a revision, 410 after
// compaction, selection-aware events, bookmarks and timeouts.
import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newCluster, pod } from "../testing/cluster-client.ts";
import { WatchReader } from "../testing/watch-reader.ts";

const PODS = "/api/v1/namespaces/default/pods";

describe("watch", () => {
  it("streams the current state, then ADDED, MODIFIED and DELETED as they happen", async () => {
    const c = await newCluster();
    await c.request("POST", PODS, pod("before"));
    const res = await c.raw("GET", `${PODS}?watch=true`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("identity");
    const w = new WatchReader(res);
    expect((await w.next(1)).map((e) => [e.type, e.object.metadata.name])).toEqual([["ADDED", "before"]]);
    await c.request("POST", PODS, pod("web"));
    await c.request(
      "PATCH",
      `${PODS}/web`,
      { metadata: { labels: { x: "y" } } },
      { "content-type": "application/merge-patch+json" },
    );
    await c.request("DELETE", `${PODS}/web`);
    const events = await w.next(3);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ["ADDED", "web"],
      ["MODIFIED", "web"],
      ["DELETED", "web"],
    ]);
    await w.cancel();
  });

  it("resumes from a resourceVersion by replaying the changes since", async () => {
    const c = await newCluster();
    const list = await c.request("GET", PODS);
    const rv = list.body.metadata.resourceVersion;
    await c.request("POST", PODS, pod("one"));
    await c.request("POST", PODS, pod("two"));
    await c.request("DELETE", `${PODS}/one`);
    const w = new WatchReader(await c.raw("GET", `${PODS}?watch=1&resourceVersion=${rv}`));
    const events = await w.next(3);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ["ADDED", "one"],
      ["ADDED", "two"],
      ["DELETED", "one"],
    ]);
    await w.cancel();
  });

  it("answers 410 Expired for a compacted revision", async () => {
    const c = await newCluster();
    const cms = "/api/v1/namespaces/default/configmaps";
    await c.request("POST", cms, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "n" }, data: { i: "0" } });
    // The test worker keeps 50 changes; write well past that.
    for (let i = 1; i <= 70; i++)
      await c.request("PUT", `${cms}/n`, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "n" },
        data: { i: String(i) },
      });
    const w = new WatchReader(await c.raw("GET", `${cms}?watch=true&resourceVersion=2`));
    const [event] = await w.next(1);
    expect(event.type).toBe("ERROR");
    expect(event.object).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
    expect(event.object.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
    expect(await w.ended()).toBe(true);
  });

  it("turns objects leaving or entering a selector into DELETED and ADDED", async () => {
    const c = await newCluster();
    await c.request("POST", PODS, pod("web", { app: "web" }));
    const w = new WatchReader(await c.raw("GET", `${PODS}?watch=true&labelSelector=app%3Dweb`));
    expect((await w.next(1))[0].type).toBe("ADDED");
    const patch = (labels: Record<string, string>) =>
      c.request("PATCH", `${PODS}/web`, { metadata: { labels } }, { "content-type": "application/merge-patch+json" });
    await patch({ app: "other" });
    await patch({ app: "web" });
    expect((await w.next(2)).map((e) => e.type)).toEqual(["DELETED", "ADDED"]);
    await w.cancel();
  });

  it("sends the initial-events-end bookmark and closes at timeoutSeconds", async () => {
    const c = await newCluster();
    await c.request("POST", PODS, pod("web"));
    const w = new WatchReader(
      await c.raw(
        "GET",
        `${PODS}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`,
      ),
    );
    const [added, bookmark] = await w.next(2);
    expect(added.type).toBe("ADDED");
    expect(bookmark.type).toBe("BOOKMARK");
    expect(bookmark.object.metadata.annotations).toEqual({ "k8s.io/initial-events-end": "true" });
    expect(await w.ended(4000)).toBe(true);
  });

  it("watches with watch=True as the Python client writes it, on a stored and a converted version", async () => {
    const c = await newCluster();
    await c.request("POST", PODS, pod("web"));
    const pods = new WatchReader(await c.raw("GET", `${PODS}?watch=True&timeoutSeconds=1`));
    expect((await pods.next(1)).map((e) => [e.type, e.object.metadata.name])).toEqual([["ADDED", "web"]]);
    await pods.cancel();
    const hpas = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    const hpa = {
      metadata: { name: "h" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 3 },
    };
    expect((await c.request("POST", hpas, hpa)).status).toBe(201);
    const converted = new WatchReader(await c.raw("GET", `${hpas}?watch=True&timeoutSeconds=1`));
    const [added] = await converted.next(1);
    expect([added.type, added.object.apiVersion, added.object.spec.maxReplicas]).toEqual([
      "ADDED",
      "autoscaling/v1",
      3,
    ]);
    await converted.cancel();
  });

  it("serves table rows in watch events with column definitions first only", async () => {
    const c = await newCluster();
    await c.request("POST", PODS, pod("a"));
    await c.request("POST", PODS, pod("b"));
    const w = new WatchReader(
      await c.raw("GET", `${PODS}?watch=true`, { headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" } }),
    );
    const [first, second] = await w.next(2);
    expect(first.object.kind).toBe("Table");
    expect(first.object.columnDefinitions.length).toBeGreaterThan(0);
    expect(second.object.columnDefinitions).toEqual([]);
    expect(second.object.rows[0].cells[0]).toBe("b");
    await w.cancel();
  });
});

describe("persistence", () => {
  it("keeps every object and the revision across a restart of the object", async () => {
    const c = await newCluster();
    await c.request("POST", PODS, pod("web"));
    const before = await c.request("GET", PODS);
    await abortAllDurableObjects();
    const after = await c.request("GET", PODS);
    expect(after.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
    expect(after.body.items).toEqual(before.body.items);
    const next = await c.request("POST", PODS, pod("web2"));
    expect(Number(next.body.metadata.resourceVersion)).toBe(Number(before.body.metadata.resourceVersion) + 1);
  });
});
