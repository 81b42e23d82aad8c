import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { claimInUse, claimsOfPod, volumeInUse, withoutFinalizer } from "./storage-protection-plan.ts";

const claim: KubeObject = {
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data", namespace: "default" },
};

const pod = (
  name: string,
  volumes: unknown[],
  extra: { nodeName?: string; phase?: string; namespace?: string } = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: extra.namespace ?? "default" },
  spec: { nodeName: extra.nodeName ?? "a", volumes },
  status: { phase: extra.phase ?? "Running" },
});

describe("storage protection", () => {
  it("names a pod's claims, ephemeral ones as <pod>-<volume>", () => {
    const p = pod("web", [
      { name: "d", persistentVolumeClaim: { claimName: "data" } },
      { name: "scratch", ephemeral: {} },
      { name: "e", emptyDir: {} },
    ]);
    expect(claimsOfPod(p)).toEqual(["data", "web-scratch"]);
  });

  it("counts only scheduled, unfinished pods of the claim's namespace", () => {
    const uses = [{ name: "d", persistentVolumeClaim: { claimName: "data" } }];
    expect(claimInUse(claim, [pod("p", uses)])).toBe(true);
    expect(claimInUse(claim, [pod("p", uses, { nodeName: "" })])).toBe(false);
    expect(claimInUse(claim, [pod("p", uses, { phase: "Succeeded" })])).toBe(false);
    expect(claimInUse(claim, [pod("p", uses, { namespace: "other" })])).toBe(false);
    expect(claimInUse(claim, [pod("p", [])])).toBe(false);
  });

  it("keeps a Bound volume and drops only the named finalizer", () => {
    expect(volumeInUse({ ...claim, status: { phase: "Bound" } })).toBe(true);
    expect(volumeInUse({ ...claim, status: { phase: "Released" } })).toBe(false);
    const o = { ...claim, metadata: { ...claim.metadata, finalizers: ["a/b", "kubernetes.io/pvc-protection"] } };
    expect(withoutFinalizer(o, "kubernetes.io/pvc-protection")?.metadata.finalizers).toEqual(["a/b"]);
    expect(withoutFinalizer(claim, "kubernetes.io/pvc-protection")).toBeUndefined();
  });
});
