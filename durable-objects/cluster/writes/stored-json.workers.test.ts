// A write answers with the text the store wrote (storedJson): byte for byte what a read returns next,
// while a dry run, whose object is not stored, is still serialized on its own.
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";

const CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
const configMap = (data: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings", labels: { app: "web" } },
  data,
});

describe("write responses", () => {
  it("answer a create and an update with the stored object's text, as the next GET does", async () => {
    const c = await newCluster();
    const created = await c.request("POST", CONFIGMAPS, configMap({ a: "1" }));
    expect(created.status).toBe(201);
    const read = await c.request("GET", `${CONFIGMAPS}/settings`);
    expect(created.text).toBe(read.text);
    expect(created.body.metadata.managedFields).toHaveLength(1);

    const updated = await c.request("PUT", `${CONFIGMAPS}/settings`, { ...read.body, data: { a: "2" } });
    expect(updated.status).toBe(200);
    const reread = await c.request("GET", `${CONFIGMAPS}/settings`);
    expect(updated.text).toBe(reread.text);
    expect(reread.body.data).toEqual({ a: "2" });
  });

  it("serializes a dry-run create, which stores nothing, from the object itself", async () => {
    const c = await newCluster();
    const dry = await c.request("POST", `${CONFIGMAPS}?dryRun=All`, configMap({ b: "1" }));
    expect(dry.status).toBe(201);
    expect(dry.body.data).toEqual({ b: "1" });
    expect(dry.body.metadata.uid).toBeTruthy();
    expect((await c.request("GET", `${CONFIGMAPS}/settings`)).status).toBe(404);
  });
});
