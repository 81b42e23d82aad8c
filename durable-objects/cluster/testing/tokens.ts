// For workers tests of ServiceAccount tokens: requests made with a token, who the API takes a token for
// (a SelfSubjectReview, which every authenticated user may create), and RBAC grants to a ServiceAccount.
import { expect } from "vitest";
import type { ClusterClient } from "./cluster-client.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

/** The claims of a JWT, unverified. */
export function claims(token: string): Json {
  return JSON.parse(atob(token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/")));
}

export async function withToken(c: ClusterClient, token: string, method: string, path: string, body?: unknown) {
  const res = await c.raw(method, path, {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** The username the API authenticates the token as; undefined when it does not (401). */
export async function whoami(c: ClusterClient, token: string): Promise<string | undefined> {
  const review = { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" };
  const res = await withToken(c, token, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", review);
  if (res.status === 401) return undefined;
  expect(res.status).toBe(201);
  return res.body.status.userInfo.username;
}

/** A Role with these verbs on pods in the namespace, bound to the ServiceAccount. */
export async function grantPods(c: ClusterClient, namespace: string, serviceAccount: string, verbs: string[]) {
  const base = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}`;
  const name = `${serviceAccount}-pods`;
  const role = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name },
    rules: [{ apiGroups: [""], resources: ["pods"], verbs }],
  };
  expect((await c.request("POST", `${base}/roles`, role)).status).toBe(201);
  const binding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace }],
  };
  expect((await c.request("POST", `${base}/rolebindings`, binding)).status).toBe(201);
}
