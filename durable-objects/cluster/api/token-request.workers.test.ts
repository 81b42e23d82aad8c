// serviceaccounts/token (TokenRequest) and the ServiceAccount authenticator behind the real Worker: tokens
// as upstream issues them, upstream's errors, and tokens that stop working when what they are bound to goes.
import { describe, expect, it } from "vitest";
import { addNode, type Json, NS, until } from "../controllers/workers-helpers.ts";
import { type ClusterClient, newCluster, pod } from "../testing/cluster-client.ts";
import { claims, grantPods, whoami, withToken } from "../testing/tokens.ts";

const SAS = `${NS}/serviceaccounts`;
const tokenRequest = (spec: Json = {}) => ({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec });

async function createSA(c: ClusterClient, name: string): Promise<Json> {
  const res = await c.request("POST", SAS, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name } });
  expect(res.status).toBe(201);
  return res.body;
}

describe("serviceaccounts/token", () => {
  it("issues a bound token as upstream (claims, defaults) that authenticates as the ServiceAccount", async () => {
    const c = await newCluster();
    const sa = await createSA(c, "reader");
    const res = await c.request("POST", `${SAS}/reader/token`, tokenRequest());
    expect(res.status).toBe(201);
    const issuer = `https://flotilla.test/clusters/${c.id}`;
    expect(res.body).toMatchObject({
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name: "reader", namespace: "default" },
      spec: { audiences: [issuer], expirationSeconds: 3600 },
    });
    const { token, expirationTimestamp } = res.body.status;
    const c1 = claims(token);
    expect(c1).toMatchObject({
      iss: issuer,
      sub: "system:serviceaccount:default:reader",
      aud: issuer,
      "kubernetes.io": { namespace: "default", serviceaccount: { name: "reader", uid: sa.metadata.uid } },
    });
    expect(c1.exp - c1.iat).toBe(3600);
    expect(c1.nbf).toBe(c1.iat);
    expect(c1.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(expirationTimestamp) / 1000).toBe(c1.exp);
    expect(await whoami(c, token)).toBe("system:serviceaccount:default:reader");
    // RBAC decides what it may do: nothing without a binding (upstream's message), what a RoleBinding grants with one.
    const denied = await withToken(c, token, "GET", `${NS}/pods`);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(
      'pods is forbidden: User "system:serviceaccount:default:reader" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    await grantPods(c, "default", "reader", ["get", "list"]);
    expect((await withToken(c, token, "GET", `${NS}/pods`)).status).toBe(200);
    expect((await withToken(c, token, "POST", `${NS}/configmaps`, { metadata: { name: "x" } })).status).toBe(403);
    expect((await withToken(c, token, "GET", "/api/v1/namespaces/kube-system/pods")).status).toBe(403);
    expect((await withToken(c, `${token}x`, "GET", `${NS}/pods`)).status).toBe(401);
    // Discovery lists the subresource as upstream does.
    const resources = (await c.request("GET", "/api/v1")).body.resources as Json[];
    expect(resources.find((r) => r.name === "serviceaccounts/token")).toMatchObject({
      group: "authentication.k8s.io",
      version: "v1",
      kind: "TokenRequest",
      verbs: ["create"],
    });
  });

  it("answers upstream's errors and changes nothing", async () => {
    const c = await newCluster();
    await createSA(c, "reader");
    const missing = await c.request("POST", `${SAS}/nobody/token`, tokenRequest());
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('serviceaccounts "nobody" not found');
    const short = await c.request("POST", `${SAS}/reader/token`, tokenRequest({ expirationSeconds: 599 }));
    expect(short.status).toBe(422);
    expect(short.body.message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
    const long = await c.request("POST", `${SAS}/reader/token`, tokenRequest({ expirationSeconds: 2 ** 32 + 1 }));
    expect(long.status).toBe(422);
    expect(long.body.message).toContain("may not specify a duration larger than 2^32 seconds");
    const kind = await c.request(
      "POST",
      `${SAS}/reader/token`,
      tokenRequest({ boundObjectRef: { kind: "ConfigMap", apiVersion: "v1", name: "x" } }),
    );
    expect(kind.status).toBe(400);
    expect(kind.body.message).toBe("cannot bind token to object of type /v1, Kind=ConfigMap");
    const noPod = await c.request(
      "POST",
      `${SAS}/reader/token`,
      tokenRequest({ boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "ghost" } }),
    );
    expect(noPod.status).toBe(404);
    expect(noPod.body.message).toBe('pods "ghost" not found');
    expect((await c.request("POST", `${NS}/pods`, pod("web"))).status).toBe(201);
    const otherSA = await c.request(
      "POST",
      `${SAS}/reader/token`,
      tokenRequest({ boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "web" } }),
    );
    expect(otherSA.status).toBe(400);
    expect(otherSA.body.message).toBe(
      'cannot bind token for serviceaccount "reader" to pod running with different serviceaccount name.',
    );
    const uid = await c.request(
      "POST",
      `${SAS}/default/token`,
      tokenRequest({ boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "web", uid: "not-it" } }),
    );
    expect(uid.status).toBe(409);
    expect(uid.body.message).toBe(
      'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (not-it) does not match the UID in record. The object might have been deleted and then recreated',
    );
    const name = await c.request("POST", `${SAS}/reader/token`, { ...tokenRequest(), metadata: { name: "other" } });
    expect(name.status).toBe(422);
    expect(name.body.message).toContain(
      'metadata.name: Invalid value: "other": must match the service account name if specified',
    );
    const huge = await c.request("POST", `${SAS}/reader/token`, tokenRequest({ expirationSeconds: 2 ** 31 }));
    expect(huge.status).toBe(201);
    expect(huge.headers.get("warning")).toContain(
      `requested expiration of ${2 ** 31} seconds shortened to 31536000 seconds`,
    );
    expect(huge.body.spec.expirationSeconds).toBe(31536000);
  });

  it("a token of another audience, of a deleted pod, or of a deleted or recreated ServiceAccount is 401", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await createSA(c, "reader");
    const other = await c.request("POST", `${SAS}/reader/token`, tokenRequest({ audiences: ["vault"] }));
    expect(other.body.spec.audiences).toEqual(["vault"]);
    expect((await withToken(c, other.body.status.token, "GET", `${NS}/pods`)).status).toBe(401);

    const p = pod("web", {}, {});
    (p.spec as Json).serviceAccountName = "reader";
    expect((await c.request("POST", `${NS}/pods`, p)).status).toBe(201);
    const created = (await c.request("GET", `${NS}/pods/web`)).body;
    const bound = await c.request(
      "POST",
      `${SAS}/reader/token`,
      tokenRequest({ boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "web", uid: created.metadata.uid } }),
    );
    expect(bound.status).toBe(201);
    const podClaims = claims(bound.body.status.token)["kubernetes.io"];
    expect(podClaims.pod).toEqual({ name: "web", uid: created.metadata.uid });
    const node = await until(async () => {
      const cur = (await c.request("GET", `${NS}/pods/web`)).body;
      return cur.spec.nodeName ? cur.spec.nodeName : undefined;
    }, "pod bound");
    expect(node).toBe("n1");
    expect(await whoami(c, bound.body.status.token)).toBe("system:serviceaccount:default:reader");
    // TokenReview answers as the API authenticates: the user with the pod and node it is bound to.
    const review = await c.request("POST", "/apis/authentication.k8s.io/v1/tokenreviews", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenReview",
      spec: { token: bound.body.status.token },
    });
    expect(review.status).toBe(201);
    expect(review.body.status).toMatchObject({
      authenticated: true,
      user: {
        username: "system:serviceaccount:default:reader",
        groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
        extra: {
          "authentication.kubernetes.io/pod-name": ["web"],
          "authentication.kubernetes.io/pod-uid": [created.metadata.uid],
          "authentication.kubernetes.io/node-name": ["n1"],
        },
      },
    });
    // Deleted at once (grace 0): the pod's token stops working.
    expect((await c.request("DELETE", `${NS}/pods/web?gracePeriodSeconds=0`)).status).toBe(200);
    await until(async () => ((await c.request("GET", `${NS}/pods/web`)).status === 404 ? true : undefined), "pod gone");
    expect((await withToken(c, bound.body.status.token, "GET", `${NS}/pods`)).status).toBe(401);

    const plain = (await c.request("POST", `${SAS}/reader/token`, tokenRequest())).body.status.token;
    expect(await whoami(c, plain)).toBe("system:serviceaccount:default:reader");
    expect((await c.request("DELETE", `${SAS}/reader`)).status).toBe(200);
    expect((await withToken(c, plain, "GET", `${NS}/pods`)).status).toBe(401);
    await createSA(c, "reader");
    expect((await withToken(c, plain, "GET", `${NS}/pods`)).status).toBe(401);
  });

  it("serves the issuer discovery documents (public key only) that verify the tokens", async () => {
    const c = await newCluster();
    const issuer = `https://flotilla.test/clusters/${c.id}`;
    const config = await c.request("GET", "/.well-known/openid-configuration");
    expect(config.status).toBe(200);
    expect(config.body).toEqual({
      issuer,
      jwks_uri: `${issuer}/openid/v1/jwks`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
    const jwks = await c.request("GET", "/openid/v1/jwks");
    expect(jwks.headers.get("content-type")).toBe("application/jwk-set+json");
    expect(jwks.body.keys).toHaveLength(1);
    const [jwk] = jwks.body.keys;
    expect(Object.keys(jwk).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
    const token = (await c.request("POST", `${SAS}/default/token`, tokenRequest())).body.status.token as string;
    const [h, p, s] = token.split(".");
    expect(JSON.parse(atob(h.replaceAll("-", "+").replaceAll("_", "/"))).kid).toBe(jwk.kid);
    const key = await crypto.subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const sig = Uint8Array.from(atob(s.replaceAll("-", "+").replaceAll("_", "/")), (ch) => ch.charCodeAt(0));
    const ok = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, sig, new TextEncoder().encode(`${h}.${p}`));
    expect(ok).toBe(true);
    // Not without a credential.
    expect((await c.raw("GET", "/openid/v1/jwks", { headers: { authorization: "" } })).status).toBe(401);
  });
});
