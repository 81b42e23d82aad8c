import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { aggregatedRules, rulesUpToDate } from "./clusterrole-aggregation-plan.ts";

const role = (name: string, labels: Record<string, string>, rules: unknown[], aggregate?: string): KubeObject => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRole",
  metadata: { name, labels },
  rules,
  ...(aggregate ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregate]: "true" } }] } } : {}),
});

const pods = { verbs: ["get"], apiGroups: [""], resources: ["pods"] };
const crds = { verbs: ["list"], apiGroups: ["example.com"], resources: ["widgets"] };

describe("ClusterRole aggregation plan", () => {
  it("merges the selected roles' rules by name, each rule once, never the role's own", () => {
    const view = role("view", { "to-edit": "true" }, [], "to-view");
    const all = [
      view,
      role("z-widgets", { "to-view": "true" }, [crds, pods]),
      role("a-pods", { "to-view": "true" }, [pods]),
      role("other", {}, [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]),
    ];
    expect(aggregatedRules(view, all)).toEqual([pods, crds]);
  });

  it("leaves a role without aggregationRule alone and sees nil and empty rules alike", () => {
    const plain = role("plain", {}, [pods]);
    expect(aggregatedRules(plain, [plain])).toBeUndefined();
    const empty = { ...role("e", {}, [], "x"), rules: undefined };
    expect(rulesUpToDate(empty, [])).toBe(true);
    expect(rulesUpToDate(empty, [pods])).toBe(false);
  });

  it("follows a selector with matchExpressions and skips a role selecting itself", () => {
    const agg: KubeObject = {
      ...role("agg", { tier: "x" }, []),
      aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: "tier", operator: "Exists" }] }] },
    };
    expect(aggregatedRules(agg, [agg, role("b", { tier: "y" }, [crds])])).toEqual([crds]);
  });
});
