// The serviceaccount and tokens controllers through the real API: "default" in every namespace (again
// after a delete), and legacy token Secrets filled (token, namespace, the cluster CA), usable and deleted with
// their account.
import { describe, expect, it } from "vitest";
import type { ClusterClient } from "../testing/cluster-client.ts";
import { newCluster } from "../testing/cluster-client.ts";
import { claims, whoami } from "../testing/tokens.ts";
import { type Json, NS, until } from "./workers-helpers.ts";

const get = async (c: ClusterClient, path: string) => c.request("GET", path);

describe("serviceaccount controller", () => {
  it("gives every namespace a default ServiceAccount and makes it again when deleted", async () => {
    const c = await newCluster();
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"])
      expect((await get(c, `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status).toBe(200);
    const team = { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } };
    expect((await c.request("POST", "/api/v1/namespaces", team)).status).toBe(201);
    expect((await get(c, "/api/v1/namespaces/team/serviceaccounts/default")).status).toBe(200);
    const before = (await get(c, `${NS}/serviceaccounts/default`)).body.metadata.uid;
    expect((await c.request("DELETE", `${NS}/serviceaccounts/default`)).status).toBe(200);
    const again = await until(async () => {
      const res = await get(c, `${NS}/serviceaccounts/default`);
      return res.status === 200 ? res.body : undefined;
    }, "default ServiceAccount recreated");
    expect(again.metadata.uid).not.toBe(before);
  });
});

describe("tokens controller", () => {
  it("fills a service-account-token Secret with a working legacy token, the namespace and the CA", async () => {
    const c = await newCluster();
    const sa = (
      await c.request("POST", `${NS}/serviceaccounts`, {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "build" },
      })
    ).body;
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/service-account-token",
      metadata: { name: "build-token", annotations: { "kubernetes.io/service-account.name": "build" } },
    };
    expect((await c.request("POST", `${NS}/secrets`, secret)).status).toBe(201);
    const filled: Json = await until(async () => {
      const s = (await get(c, `${NS}/secrets/build-token`)).body;
      return s.data?.token ? s : undefined;
    }, "token filled");
    expect(filled.metadata.annotations["kubernetes.io/service-account.uid"]).toBe(sa.metadata.uid);
    expect(atob(filled.data.namespace)).toBe("default");
    const token = atob(filled.data.token);
    expect(claims(token)).toEqual({
      iss: "kubernetes/serviceaccount",
      "kubernetes.io/serviceaccount/namespace": "default",
      "kubernetes.io/serviceaccount/secret.name": "build-token",
      "kubernetes.io/serviceaccount/service-account.name": "build",
      "kubernetes.io/serviceaccount/service-account.uid": sa.metadata.uid,
      sub: "system:serviceaccount:default:build",
    });
    expect(await whoami(c, token)).toBe("system:serviceaccount:default:build");

    // The cluster's CA, as the root CA publisher keeps it in kube-root-ca.crt, is in the Secret.
    const ca: string = (await get(c, `${NS}/configmaps/kube-root-ca.crt`)).body.data["ca.crt"];
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    await until(async () => {
      const s = (await get(c, `${NS}/secrets/build-token`)).body;
      return s.data?.["ca.crt"] === btoa(ca) ? true : undefined;
    }, "ca.crt filled");
    expect(atob((await get(c, `${NS}/secrets/build-token`)).body.data.token)).toBe(token);

    // The account gone: its Secret goes, and the token no longer authenticates.
    expect((await c.request("DELETE", `${NS}/serviceaccounts/build`)).status).toBe(200);
    expect(await whoami(c, token)).toBeUndefined();
    await until(
      async () => ((await get(c, `${NS}/secrets/build-token`)).status === 404 ? true : undefined),
      "Secret deleted",
    );
  });
});
