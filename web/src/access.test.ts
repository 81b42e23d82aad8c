import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../kube/types.ts";
import { grantsOf, parseGroups, type SharedUser } from "./access.ts";

const alice: SharedUser = { id: "user-a", username: "alice", groups: ["students"], createdAt: 0, expiresAt: null };

function binding(name: string, role: string, subjects: { kind: string; name: string }[], namespace?: string) {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: namespace ? "RoleBinding" : "ClusterRoleBinding",
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects,
  } as KubeObject;
}

describe("grantsOf", () => {
  it("names each role bound to the user or one of its groups, and where", () => {
    const bindings = [
      binding("a", "view", [{ kind: "User", name: "alice" }], "team"),
      binding("b", "edit", [{ kind: "Group", name: "students" }], "lab"),
      binding("c", "view", [{ kind: "Group", name: "students" }]),
      binding("d", "admin", [{ kind: "User", name: "bob" }], "team"),
      binding("e", "cluster-admin", [{ kind: "Group", name: "flotilla:admins" }]),
      binding("f", "edit", [{ kind: "ServiceAccount", name: "alice" }], "team"),
    ];
    expect(grantsOf(alice, bindings)).toEqual([
      "edit in lab via group students",
      "view everywhere via group students",
      "view in team",
    ]);
  });

  it("is empty for a user nothing is bound to", () => {
    expect(grantsOf(alice, [binding("x", "edit", [], "team")])).toEqual([]);
  });
});

describe("parseGroups", () => {
  it("splits on commas and spaces, dropping blanks and repeats", () => {
    expect(parseGroups(" students, team:blue  students,,")).toEqual(["students", "team:blue"]);
    expect(parseGroups("")).toEqual([]);
  });
});
