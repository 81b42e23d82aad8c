import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import {
  needsDefaultServiceAccount,
  planTokenSecret,
  SA_NAME_ANNOTATION,
  SA_UID_ANNOTATION,
} from "./serviceaccount-plan.ts";

const ns = (extra: Partial<KubeObject["metadata"]> = {}, phase = "Active"): KubeObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name: "team", ...extra },
  status: { phase },
});
const sa: KubeObject = {
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: "build", namespace: "team", uid: "u1" },
};
const secret = (annotations: Record<string, string>, data?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  type: "kubernetes.io/service-account-token",
  metadata: { name: "build-token", namespace: "team", annotations },
  ...(data ? { data } : {}),
});

describe("needsDefaultServiceAccount", () => {
  it("wants one for a live namespace without it only", () => {
    expect(needsDefaultServiceAccount(ns(), undefined)).toBe(true);
    expect(needsDefaultServiceAccount(ns(), sa)).toBe(false);
    expect(needsDefaultServiceAccount(undefined, undefined)).toBe(false);
    expect(needsDefaultServiceAccount(ns({ deletionTimestamp: "2026-01-01T00:00:00Z" }), undefined)).toBe(false);
    expect(needsDefaultServiceAccount(ns({}, "Terminating"), undefined)).toBe(false);
  });
});

describe("planTokenSecret", () => {
  it("fills namespace, ca.crt and the token, and records the uid", () => {
    const plan = planTokenSecret(secret({ [SA_NAME_ANNOTATION]: "build" }), sa, "-----BEGIN CERTIFICATE-----\n");
    expect(plan.action).toBe("fill");
    if (plan.action !== "fill") return;
    expect(plan.needsToken).toBe(true);
    expect(plan.next.data).toEqual({ namespace: btoa("team"), "ca.crt": btoa("-----BEGIN CERTIFICATE-----\n") });
    expect(plan.next.metadata.annotations).toEqual({ [SA_NAME_ANNOTATION]: "build", [SA_UID_ANNOTATION]: "u1" });
  });

  it("leaves a complete Secret alone and refreshes a stale ca.crt only", () => {
    const full = secret(
      { [SA_NAME_ANNOTATION]: "build", [SA_UID_ANNOTATION]: "u1" },
      { token: btoa("t"), namespace: btoa("team"), "ca.crt": btoa("A") },
    );
    expect(planTokenSecret(full, sa, "A")).toEqual({ action: "none" });
    expect(planTokenSecret(full, sa, undefined)).toEqual({ action: "none" });
    const stale = planTokenSecret(full, sa, "B");
    expect(stale.action === "fill" && !stale.needsToken && (stale.next.data as Record<string, string>)["ca.crt"]).toBe(
      btoa("B"),
    );
  });

  it("deletes the Secret of a missing or recreated ServiceAccount; ignores other types", () => {
    expect(planTokenSecret(secret({ [SA_NAME_ANNOTATION]: "build" }), undefined, undefined)).toEqual({
      action: "delete",
    });
    const other = { ...sa, metadata: { ...sa.metadata, uid: "u2" } };
    expect(
      planTokenSecret(secret({ [SA_NAME_ANNOTATION]: "build", [SA_UID_ANNOTATION]: "u1" }), other, undefined),
    ).toEqual({
      action: "delete",
    });
    expect(planTokenSecret({ ...secret({}), type: "Opaque" }, undefined, undefined)).toEqual({ action: "none" });
  });
});
