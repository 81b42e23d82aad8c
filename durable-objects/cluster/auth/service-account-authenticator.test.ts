// The ServiceAccount authenticator with a controlled clock and store: every reason a token is refused.
import { beforeAll, describe, expect, it } from "vitest";
import { base64url, generateSigningJwk, loadSigningKey, signJwt } from "../../../kube/jwt.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { TokenAuthenticator } from "../../../kube/user-info.ts";
import { EXTRA, serviceAccountAuthenticator } from "./service-account-authenticator.ts";
import { ServiceAccountIssuer } from "./service-account-issuer.ts";

const ISSUER = "https://flotilla.test/clusters/c1";
const T0 = Date.parse("2026-12-07T06:00:00Z");

const obj = (kind: string, name: string, uid: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: "v1",
  kind,
  metadata: { name, namespace: kind === "Node" ? undefined : "default", uid },
  ...extra,
});

let issuer: ServiceAccountIssuer;
let objects: Map<string, KubeObject>;
let auth: TokenAuthenticator;
const sa = obj("ServiceAccount", "reader", "sa-1");
const pod = obj("Pod", "web", "pod-1", { spec: { serviceAccountName: "reader", nodeName: "n1" } });
const node = obj("Node", "n1", "node-1");

beforeAll(async () => {
  issuer = new ServiceAccountIssuer(ISSUER, await loadSigningKey(await generateSigningJwk()));
});

function reset(): void {
  objects = new Map(
    [
      ["serviceaccounts", sa],
      ["pods", pod],
      ["nodes", node],
    ].map(([r, o]) => [`${r}/${(o as KubeObject).metadata.name}`, o as KubeObject]),
  );
  auth = serviceAccountAuthenticator(issuer, (resource, _ns, name) => objects.get(`${resource}/${name}`));
}

const issue = (extra: { audiences?: string[]; seconds?: number; pod?: KubeObject; secret?: KubeObject } = {}) =>
  issuer.issueBound({
    serviceAccount: sa,
    audiences: extra.audiences ?? [ISSUER],
    now: T0,
    expirationSeconds: extra.seconds ?? 3600,
    pod: extra.pod,
    node: extra.pod ? node : undefined,
    secret: extra.secret,
  });

describe("serviceAccountAuthenticator", () => {
  it("yields the ServiceAccount user with upstream's extra keys for a pod-bound token", async () => {
    reset();
    const { token } = await issue({ pod });
    const user = await auth(token, T0 + 1000);
    const jti = JSON.parse(atob(token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/"))).jti;
    expect(user).toEqual({
      username: "system:serviceaccount:default:reader",
      uid: "sa-1",
      groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
      extra: {
        [EXTRA.podName]: ["web"],
        [EXTRA.podUID]: ["pod-1"],
        [EXTRA.nodeName]: ["n1"],
        [EXTRA.nodeUID]: ["node-1"],
        [EXTRA.credentialID]: [`JTI=${jti}`],
      },
    });
  });

  it("refuses expired and not-yet-valid tokens, with go-jose's one-minute leeway", async () => {
    reset();
    const { token } = await issue({ seconds: 600 });
    expect(await auth(token, T0 + 600_000 + 59_000)).toBeDefined();
    expect(await auth(token, T0 + 600_000 + 61_000)).toBeUndefined();
    expect(await auth(token, T0 - 61_000)).toBeUndefined();
  });

  it("refuses another audience, issuer or key, and tampering", async () => {
    reset();
    expect(await auth((await issue({ audiences: ["vault"] })).token, T0)).toBeUndefined();
    const foreign = new ServiceAccountIssuer(ISSUER, await loadSigningKey(await generateSigningJwk()));
    const { token: theirs } = await foreign.issueBound({
      serviceAccount: sa,
      audiences: [ISSUER],
      now: T0,
      expirationSeconds: 3600,
    });
    expect(await auth(theirs, T0)).toBeUndefined();
    const elsewhere = new ServiceAccountIssuer("https://other.test", await loadSigningKey(await generateSigningJwk()));
    expect(
      await auth(
        (await elsewhere.issueBound({ serviceAccount: sa, audiences: [ISSUER], now: T0, expirationSeconds: 3600 }))
          .token,
        T0,
      ),
    ).toBeUndefined();
    const [h, p, s] = (await issue()).token.split(".");
    const claims = JSON.parse(atob(p.replaceAll("-", "+").replaceAll("_", "/")));
    claims["kubernetes.io"].serviceaccount.name = "admin";
    const forged = `${h}.${base64url(new TextEncoder().encode(JSON.stringify(claims)))}.${s}`;
    expect(await auth(forged, T0)).toBeUndefined();
  });

  it("refuses a token whose ServiceAccount or pod is gone, recreated, or deleted past the leeway", async () => {
    reset();
    const { token } = await issue({ pod });
    objects.delete("pods/web");
    expect(await auth(token, T0)).toBeUndefined();
    reset();
    objects.set("pods/web", { ...pod, metadata: { ...pod.metadata, uid: "pod-2" } });
    expect(await auth(token, T0)).toBeUndefined();
    reset();
    const deletedAt = new Date(T0).toISOString();
    objects.set("pods/web", { ...pod, metadata: { ...pod.metadata, deletionTimestamp: deletedAt } });
    expect(await auth(token, T0 + 30_000)).toBeDefined();
    expect(await auth(token, T0 + 61_000)).toBeUndefined();
    reset();
    objects.delete("serviceaccounts/reader");
    expect(await auth(token, T0)).toBeUndefined();
    reset();
    objects.set("serviceaccounts/reader", { ...sa, metadata: { ...sa.metadata, uid: "sa-2" } });
    expect(await auth(token, T0)).toBeUndefined();
  });

  it("accepts a legacy Secret token only while the Secret holds it", async () => {
    reset();
    const secret = obj("Secret", "reader-token", "s-1", { type: "kubernetes.io/service-account-token" });
    const token = await issuer.issueLegacy(sa, secret);
    objects.set("secrets/reader-token", { ...secret, data: { token: btoa(token) } });
    expect(await auth(token, T0 + 10 * 365 * 86400_000)).toMatchObject({
      username: "system:serviceaccount:default:reader",
      uid: "sa-1",
    });
    objects.set("secrets/reader-token", { ...secret, data: { token: btoa("something else") } });
    expect(await auth(token, T0)).toBeUndefined();
    objects.delete("secrets/reader-token");
    expect(await auth(token, T0)).toBeUndefined();
  });

  it("leaves tokens that are not its JWTs to other authenticators", async () => {
    reset();
    expect(await auth("fltc_abcdef", T0)).toBeUndefined();
    expect(await auth("", T0)).toBeUndefined();
    const unsigned = await signJwt(await loadSigningKey(await generateSigningJwk()), { iss: "someone" });
    expect(await auth(unsigned, T0)).toBeUndefined();
  });
});
