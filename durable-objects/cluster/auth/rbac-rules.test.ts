import { describe, expect, it } from "vitest";
import { requestInfo } from "./request-info.ts";
import { ruleAllows } from "./rbac-rules.ts";
import { compactRules, compactString, uncovered } from "./rule-covers.ts";

const info = (method: string, path: string) => requestInfo(method, new URL(`https://x${path}`));

describe("request attributes as upstream's RequestInfoFactory", () => {
  it.each([
    ["GET", "/api/v1/namespaces/default/pods", { verb: "list", resource: "pods", namespace: "default", name: "" }],
    ["GET", "/api/v1/namespaces/default/pods?watch=1", { verb: "watch", resource: "pods" }],
    ["GET", "/api/v1/watch/namespaces/default/pods", { verb: "watch", resource: "pods", namespace: "default" }],
    ["GET", "/api/v1/namespaces/default/pods/p/log", { verb: "get", resource: "pods", subresource: "log", name: "p" }],
    ["GET", "/api/v1/namespaces/default/pods/p/exec", { verb: "create", subresource: "exec" }],
    ["DELETE", "/api/v1/namespaces/default/configmaps", { verb: "deletecollection", resource: "configmaps" }],
    ["GET", "/api/v1/namespaces/ns1", { verb: "get", resource: "namespaces", name: "ns1", namespace: "ns1" }],
    ["PUT", "/api/v1/namespaces/ns1/finalize", { verb: "update", resource: "namespaces", subresource: "finalize" }],
    ["GET", "/apis/apps/v1/deployments", { verb: "list", apiGroup: "apps", resource: "deployments", namespace: "" }],
    ["GET", "/api/v1/pods?fieldSelector=metadata.name%3Dp", { verb: "list", name: "p" }],
  ])("%s %s", (method, path, expected) => {
    expect(info(method, path)).toMatchObject({ resourceRequest: true, ...expected });
  });

  it.each(["/version", "/api", "/api/v1", "/apis/apps", "/apis/apps/v1", "/openapi/v3", "/healthz"])(
    "%s is a non-resource request",
    (path) => expect(info("GET", path)).toMatchObject({ resourceRequest: false, verb: "get", path }),
  );
});

describe("rule matching (RuleAllows)", () => {
  const rule = { verbs: ["get"], apiGroups: [""], resources: ["pods", "*/log"], resourceNames: ["a"] };
  it("matches verbs, groups, resources with */sub, and names", () => {
    expect(ruleAllows(info("GET", "/api/v1/namespaces/d/pods/a"), rule)).toBe(true);
    expect(ruleAllows(info("GET", "/api/v1/namespaces/d/pods/b"), rule)).toBe(false);
    expect(ruleAllows(info("GET", "/api/v1/namespaces/d/pods/a/log"), rule)).toBe(true);
    expect(ruleAllows(info("GET", "/api/v1/namespaces/d/pods/a/status"), rule)).toBe(false);
    expect(ruleAllows(info("DELETE", "/api/v1/namespaces/d/pods/a"), rule)).toBe(false);
    expect(ruleAllows(info("GET", "/apis/apps/v1/namespaces/d/pods/a"), rule)).toBe(false);
  });
  it("matches non-resource URLs exactly or by a * prefix", () => {
    const urls = { verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"] };
    expect(ruleAllows(info("GET", "/healthz"), urls)).toBe(true);
    expect(ruleAllows(info("GET", "/healthz/x"), urls)).toBe(false);
    expect(ruleAllows(info("GET", "/apis/apps"), urls)).toBe(true);
    expect(ruleAllows(info("GET", "/api/v1/pods"), urls)).toBe(false);
  });
});

describe("covers (escalation checks)", () => {
  it("finds what an owner lacks and words it as upstream's CompactString", () => {
    const owned = [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "*/status"] }];
    const wanted = [{ verbs: ["get", "delete"], apiGroups: [""], resources: ["pods", "pods/status", "secrets"] }];
    const missing = compactRules(uncovered(owned, wanted)).map(compactString).sort();
    expect(missing).toEqual([
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
      '{APIGroups:[""], Resources:["pods/status"], Verbs:["delete"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    ]);
    expect(uncovered([{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }], wanted)).toEqual([]);
  });
  it("covers non-resource URLs by prefix and resource names only by the owner's", () => {
    expect(
      uncovered([{ verbs: ["get"], nonResourceURLs: ["/api/*"] }], [{ verbs: ["get"], nonResourceURLs: ["/api/v1"] }]),
    ).toEqual([]);
    const named = [{ verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"] }];
    expect(uncovered(named, [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }])).toHaveLength(1);
    expect(uncovered(named, [{ verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"] }])).toEqual(
      [],
    );
  });
});
