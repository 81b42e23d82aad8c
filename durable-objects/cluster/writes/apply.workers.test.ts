// Server-side apply through the real Worker: create, ownership, conflicts, force, removal.
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";

const PATH = "/apis/apps/v1/namespaces/default/deployments/web";
const APPLY = { "content-type": "application/apply-patch+yaml" };

const config = (replicas: number, labels: Record<string, string>) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", labels },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  },
});

/** The deployment once its controllers stopped writing to it (they stamp revision and status). */
async function settled(c: Awaited<ReturnType<typeof newCluster>>): Promise<string> {
  let last = "";
  for (let stable = 0; stable < 3; ) {
    await new Promise((r) => setTimeout(r, 40));
    const rv = (await c.request("GET", PATH)).body.metadata.resourceVersion;
    stable = rv === last ? stable + 1 : 0;
    last = rv;
  }
  return last;
}

describe("server-side apply", () => {
  it("creates, is idempotent, removes what the manager stopped sending and records ownership", async () => {
    const c = await newCluster();
    const first = await c.request(
      "PATCH",
      `${PATH}?fieldManager=alice`,
      config(2, { app: "web", tier: "front" }),
      APPLY,
    );
    expect(first.status).toBe(201);
    const settledVersion = await settled(c);
    expect(first.body.metadata.managedFields[0]).toMatchObject({
      manager: "alice",
      operation: "Apply",
      fieldsType: "FieldsV1",
    });
    const again = await c.request(
      "PATCH",
      `${PATH}?fieldManager=alice`,
      config(2, { app: "web", tier: "front" }),
      APPLY,
    );
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(settledVersion);
    const fewer = await c.request("PATCH", `${PATH}?fieldManager=alice`, config(2, { app: "web" }), APPLY);
    expect(fewer.body.metadata.labels).toEqual({ app: "web" });
  });

  it("answers 409 with upstream's message when another manager owns a field, and force takes it", async () => {
    const c = await newCluster();
    await c.request("PATCH", `${PATH}?fieldManager=alice`, config(2, { app: "web" }), APPLY);
    const bob = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 5 } };
    const refused = await c.request("PATCH", `${PATH}?fieldManager=bob`, bob, APPLY);
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe("Conflict");
    expect(refused.body.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    expect((await c.request("GET", PATH)).body.spec.replicas).toBe(2);
    const forced = await c.request("PATCH", `${PATH}?fieldManager=bob&force=true`, bob, APPLY);
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(5);
    // The deployment controller's own Update entries (revision annotation, status) aside.
    const managers = forced.body.metadata.managedFields
      .filter((m: { operation: string }) => m.operation === "Apply")
      .map((m: { manager: string }) => m.manager);
    expect(managers).toEqual(["alice", "bob"]);
  });

  it("requires a field manager and refuses malformed managedFields", async () => {
    const c = await newCluster();
    const noManager = await c.request("PATCH", PATH, config(1, { app: "web" }), APPLY);
    expect(noManager.status).toBe(400);
    expect(noManager.body.message).toBe("fieldManager is required for apply requests");
    const bad = config(1, { app: "web" }) as Record<string, unknown>;
    (bad.metadata as Record<string, unknown>).managedFields = [
      { manager: "x", operation: "Sideways", fieldsType: "FieldsV9" },
    ];
    const res = await c.request("POST", "/apis/apps/v1/namespaces/default/deployments", bad);
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("metadata.managedFields[0].operation: Unsupported value");
  });

  it("dry-run applies nothing and consumes no revision", async () => {
    const c = await newCluster();
    const before = (await c.request("GET", "/apis/apps/v1/namespaces/default/deployments")).body.metadata
      .resourceVersion;
    const dry = await c.request("PATCH", `${PATH}?fieldManager=alice&dryRun=All`, config(2, { app: "web" }), APPLY);
    expect(dry.status).toBe(201);
    expect((await c.request("GET", PATH)).status).toBe(404);
    const after = (await c.request("GET", "/apis/apps/v1/namespaces/default/deployments")).body.metadata
      .resourceVersion;
    expect(after).toBe(before);
  });
});
