import { describe, expect, it } from "vitest";
import type { StatusError } from "../../../kube/status.ts";
import { impersonate } from "./impersonation.ts";
import type { RequestAttributes } from "./request-info.ts";

const bob = { username: "bob", groups: ["system:authenticated"] };

function refusedAs(headers: Record<string, string>, allow: (a: RequestAttributes) => boolean): string {
  try {
    impersonate(bob, new Headers(headers), (a) => ({ allowed: allow(a), reason: "" }));
  } catch (e) {
    return (e as StatusError).message;
  }
  return "allowed";
}

describe("impersonation filter", () => {
  it("asks for impersonate on each part, with upstream's Forbidden wording", () => {
    const seen: RequestAttributes[] = [];
    const user = impersonate(
      bob,
      new Headers({
        "impersonate-user": "system:serviceaccount:ns1:robot",
        "impersonate-uid": "u-1",
        "impersonate-extra-a%2Fb": "x, y",
      }),
      (a) => {
        seen.push(a);
        return { allowed: true, reason: "" };
      },
    );
    expect(user).toEqual({
      username: "system:serviceaccount:ns1:robot",
      uid: "u-1",
      groups: ["system:serviceaccounts", "system:serviceaccounts:ns1", "system:authenticated"],
      extra: { "a/b": ["x", "y"] },
    });
    expect(seen.map((a) => [a.verb, a.apiGroup, a.resource, a.subresource, a.namespace, a.name])).toEqual([
      ["impersonate", "", "serviceaccounts", "", "ns1", "robot"],
      ["impersonate", "authentication.k8s.io", "userextras", "a/b", "", "x"],
      ["impersonate", "authentication.k8s.io", "userextras", "a/b", "", "y"],
      ["impersonate", "authentication.k8s.io", "uids", "", "", "u-1"],
    ]);
    expect(refusedAs({ "impersonate-user": "carol" }, () => false)).toBe(
      'users "carol" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    expect(
      refusedAs({ "impersonate-user": "carol", "impersonate-group": "admins" }, (a) => a.resource === "users"),
    ).toBe(
      'groups "admins" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
  });

  it("adds system:authenticated unless a group says otherwise, and leaves requests without headers alone", () => {
    const ok = () => ({ allowed: true, reason: "" });
    expect(impersonate(bob, new Headers(), ok)).toBe(bob);
    const given = impersonate(
      bob,
      new Headers({ "impersonate-user": "x", "impersonate-group": "system:unauthenticated" }),
      ok,
    );
    expect(given.groups).toEqual(["system:unauthenticated"]);
  });
});
