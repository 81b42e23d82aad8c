// pods/eviction and PodDisruptionBudgets end to end: eviction without a budget, a budget that
// allows one and then none (429 with the cause), the budget's status following the pods, bad inputs.
import { describe, expect, it } from "vitest";
import { addNode, type Json, markPod, NS, until } from "../controllers/workers-helpers.ts";
import { type ClusterClient, newCluster, pod } from "../testing/cluster-client.ts";

const PDBS = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
const eviction = (name: string, apiVersion = "policy/v1") => ({ apiVersion, kind: "Eviction", metadata: { name } });

async function readyPod(c: ClusterClient, name: string, labels: Record<string, string>): Promise<void> {
  expect((await c.request("POST", `${NS}/pods`, pod(name, labels))).status).toBe(201);
  const bound = await until(async () => {
    const p = (await c.request("GET", `${NS}/pods/${name}`)).body;
    return p.spec?.nodeName ? p : undefined;
  }, `${name} bound`);
  await markPod(c, bound, true);
}

const budget = (spec: Json) => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "web" },
  spec: { selector: { matchLabels: { app: "web" } }, ...spec },
});

async function budgetStatus(c: ClusterClient, want: (s: Json) => boolean): Promise<Json> {
  return until(async () => {
    const s = (await c.request("GET", `${PDBS}/web`)).body.status;
    return s && want(s) ? s : undefined;
  }, "budget status");
}

describe("pods/eviction", () => {
  it("evicts a pod without a budget (201 Success) and answers 404 for a missing pod, 400 for a bad body", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await readyPod(c, "lone", { app: "lone" });
    const res = await c.request("POST", `${NS}/pods/lone/eviction`, eviction("lone", "policy/v1beta1"));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: "Status", status: "Success" });
    expect((await c.request("GET", `${NS}/pods/lone`)).body.metadata.deletionTimestamp).toBeTruthy();

    const missing = await c.request("POST", `${NS}/pods/nope/eviction`, eviction("nope"));
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('pods "nope" not found');
    const wrongKind = await c.request("POST", `${NS}/pods/lone/eviction`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "lone" },
    });
    expect(wrongKind.status).toBe(400);
    const wrongName = await c.request("POST", `${NS}/pods/lone/eviction`, eviction("other"));
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.message).toBe("name in URL does not match name in Eviction object");
  });

  it("follows the budget: one disruption allowed, then 429 with the DisruptionBudget cause", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await readyPod(c, "web-1", { app: "web" });
    await readyPod(c, "web-2", { app: "web" });
    expect((await c.request("POST", PDBS, budget({ minAvailable: 1 }))).status).toBe(201);
    const status = await budgetStatus(c, (s) => s.disruptionsAllowed === 1);
    expect(status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, observedGeneration: 1 });
    expect(status.conditions[0]).toMatchObject({ type: "DisruptionAllowed", status: "True", reason: "SufficientPods" });

    expect((await c.request("POST", `${NS}/pods/web-1/eviction`, eviction("web-1"))).status).toBe(201);
    const after = (await c.request("GET", `${PDBS}/web`)).body.status;
    // disruptedPods holds web-1 until the disruption controller sees it deleted, which may already have
    // happened here (its tick follows the write at once); either way no disruption is left.
    expect(after.disruptionsAllowed).toBe(0);

    // The controller's next pass counts the evicted (terminating) pod out; the refusal quotes that status.
    await budgetStatus(c, (s) => s.currentHealthy === 1);
    const refused = await c.request("POST", `${NS}/pods/web-2/eviction`, eviction("web-2"));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      reason: "TooManyRequests",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          { reason: "DisruptionBudget", message: "The disruption budget web needs 1 healthy pods and has 1 currently" },
        ],
      },
    });
    expect((await c.request("GET", `${NS}/pods/web-2`)).body.metadata.deletionTimestamp).toBeUndefined();
    const settled = await budgetStatus(c, (s) => s.currentHealthy === 1);
    expect(settled).toMatchObject({ disruptionsAllowed: 0, desiredHealthy: 1 });
    expect(settled.conditions[0]).toMatchObject({ status: "False", reason: "InsufficientPods" });
  });

  it("refuses a budget with both minAvailable and maxUnavailable (422) and lists pdb in discovery", async () => {
    const c = await newCluster();
    const res = await c.request("POST", PDBS, budget({ minAvailable: 1, maxUnavailable: 1 }));
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("minAvailable and maxUnavailable cannot be both set");
    const policy = (await c.request("GET", "/apis/policy/v1")).body.resources;
    expect(policy).toContainEqual(expect.objectContaining({ name: "poddisruptionbudgets", shortNames: ["pdb"] }));
    const core = (await c.request("GET", "/api/v1")).body.resources;
    expect(core).toContainEqual(
      expect.objectContaining({ name: "pods/eviction", group: "policy", version: "v1", kind: "Eviction" }),
    );
  });
});
