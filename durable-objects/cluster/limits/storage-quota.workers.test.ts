// The plan's storage bound through the API: claims together may request the plan's persistent storage
// (20Gi unless the plan says), a create or growth past it is a 403 in upstream's quota words and changes
// nothing.
import { describe, expect, it } from "vitest";
import { addNode, type Json, NS, storageClass, until } from "../controllers/workers-helpers.ts";
import { newCluster } from "../testing/cluster-client.ts";
import { bytesQuantity } from "./storage-quota.ts";
import { isClusterPlan } from "./types.ts";

const PVC = `${NS}/persistentvolumeclaims`;

const claim = (name: string, storage: string): Json => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } }, storageClassName: "grow" },
});

describe("plan storage quota", () => {
  it("refuses claims past the plan's storage, on create and on growth", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const sc = storageClass("grow", { allowVolumeExpansion: true });
    expect((await c.request("POST", "/apis/storage.k8s.io/v1/storageclasses", sc)).status).toBe(201);
    expect((await c.request("POST", PVC, claim("a", "15Gi"))).status).toBe(201);
    // Test sign-ups get the local plan, whose D1 record names no storage bound: the default applies.
    const plan = "local";
    const refused = await c.request("POST", PVC, claim("b", "8Gi"));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
    expect(refused.body.message).toBe(
      `persistentvolumeclaims "b" is forbidden: exceeded quota: flotilla-plan-${plan}, requested: requests.storage=8Gi, used: requests.storage=15Gi, limited: requests.storage=20Gi (the "${plan}" plan allows 20Gi requests.storage; delete some to make room)`,
    );
    expect((await c.request("GET", `${PVC}/b`)).status).toBe(404);
    expect((await c.request("POST", PVC, claim("b", "5Gi"))).status).toBe(201);

    await until(async () => {
      const a = (await c.request("GET", `${PVC}/a`)).body;
      return a.status?.phase === "Bound" ? true : undefined;
    }, "a Bound");
    const grow = await c.request(
      "PATCH",
      `${PVC}/a`,
      { spec: { resources: { requests: { storage: "16Gi" } } } },
      {
        "content-type": "application/merge-patch+json",
      },
    );
    expect(grow.status).toBe(403);
    expect(grow.body.message).toContain("exceeded quota: flotilla-plan-");
    expect(grow.body.message).toContain(
      "requested: requests.storage=1Gi, used: requests.storage=20Gi, limited: requests.storage=20Gi",
    );
    expect((await c.request("GET", `${PVC}/a`)).body.spec.resources.requests.storage).toBe("15Gi");
    expect((await c.request("DELETE", `${PVC}/b`)).status).toBe(200);
    await until(async () => ((await c.request("GET", `${PVC}/b`)).status === 404 ? true : undefined), "b gone");
    const grown = await c.request(
      "PATCH",
      `${PVC}/a`,
      { spec: { resources: { requests: { storage: "16Gi" } } } },
      {
        "content-type": "application/merge-patch+json",
      },
    );
    expect(grown.status, grown.text).toBe(200);
  });
});

describe("storage quota", () => {
  it("writes bytes as the largest exact binary quantity", () => {
    expect(bytesQuantity(20n * 1024n ** 3n)).toBe("20Gi");
    expect(bytesQuantity(1536n * 1024n ** 2n)).toBe("1536Mi");
    expect(bytesQuantity(2n * 1024n ** 4n)).toBe("2Ti");
    expect(bytesQuantity(1000n)).toBe("1000");
    expect(bytesQuantity(0n)).toBe("0");
  });

  it("takes a plan with or without a storage bound, but not a bad one", () => {
    const plan = {
      name: "p",
      nodes: 1,
      pods: 1,
      objects: 1,
      storedBytes: 1,
      requestsPerSecond: 1,
      publicRequestsPerSecond: 1,
      publicBodyBytes: 1,
      idleTtlSeconds: 0,
    };
    expect(isClusterPlan(plan)).toBe(true);
    expect(isClusterPlan({ ...plan, persistentStorageBytes: 1024 })).toBe(true);
    expect(isClusterPlan({ ...plan, persistentStorageBytes: -1 })).toBe(false);
    expect(isClusterPlan({ ...plan, persistentStorageBytes: "1Gi" })).toBe(false);
  });
});
