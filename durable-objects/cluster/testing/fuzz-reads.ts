// For the fuzz suite: the request families beside writes of whole objects — the status, scale,
// binding and eviction subresources, list and watch, get, discovery, OpenAPI, and protobuf bodies.
import fc from "fast-check";
import { KUBECTL_BODIES } from "../../../kube/protobuf/testdata/kubectl-bodies.ts";
import {
  collectionPath,
  deleteOptions,
  type FuzzRequest,
  hostileFor,
  kind,
  kinds,
  name,
  namespace,
  params,
  query,
  SEED,
  SEED_NAMESPACE,
} from "./fuzz-basics.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

const kindOf = (k: string) => kinds.find((x) => x.kind === k && !x.conversion)!;
export const subresourceBody = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        "Pod",
        "Deployment",
        "Service",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "Node",
      ),
      fc.constantFrom("PUT", "PATCH"),
    )
    .chain(([kk, method]) =>
      hostileFor(kindOf(kk), fc.constant(SEED)).map(
        (obj): FuzzRequest => ({
          family: "status",
          method,
          path: `${collectionPath(kindOf(kk), SEED_NAMESPACE)}/${SEED}/status`,
          headers: { "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json" },
          body: JSON.stringify(obj),
        }),
      ),
    ),
  fc
    .tuple(
      fc.constantFrom("Deployment", "ReplicaSet", "StatefulSet"),
      fc.constantFrom("GET", "PUT", "PATCH"),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), oddScale()),
    )
    .map(
      ([kk, method, scale]): FuzzRequest => ({
        family: "scale",
        method,
        path: `${collectionPath(kindOf(kk), SEED_NAMESPACE)}/${SEED}/scale`,
        headers: { "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json" },
        body: method === "GET" ? undefined : JSON.stringify(scale),
      }),
    ),
  fc
    .tuple(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom("node-a", "", 5, null),
      fc.constantFrom("v1", "v9", undefined),
    )
    .map(
      ([junk, target, apiVersion]): FuzzRequest => ({
        family: "binding",
        method: "POST",
        path: `/api/v1/namespaces/${SEED_NAMESPACE}/pods/${SEED}/binding`,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          typeof junk === "number"
            ? junk
            : { apiVersion, kind: "Binding", metadata: { name: SEED }, target: { kind: "Node", name: target } },
        ),
      }),
    ),
  fc
    .tuple(
      fc.constantFrom("policy/v1", "policy/v1beta1", "v1", 5),
      fc.constantFrom(SEED, "other"),
      deleteOptions,
      fc.boolean(),
    )
    .map(
      ([apiVersion, n, opts, junk]): FuzzRequest => ({
        family: "eviction",
        method: "POST",
        path: `/api/v1/namespaces/${SEED_NAMESPACE}/pods/${SEED}/eviction?dryRun=All`,
        headers: { "content-type": "application/json" },
        body: junk
          ? JSON.stringify(opts ?? null)
          : JSON.stringify({ apiVersion, kind: "Eviction", metadata: { name: n }, deleteOptions: opts }),
      }),
    ),
);

function oddScale() {
  return fc.record(
    {
      apiVersion: fc.constantFrom("autoscaling/v1", "v9"),
      kind: fc.constantFrom("Scale", "Pod"),
      metadata: fc.oneof(
        fc.constant({ name: SEED }),
        fc.constant({ name: SEED, resourceVersion: "1" }),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      spec: fc.oneof(
        fc.record({
          replicas: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(2147483648), fc.string({ maxLength: 3 })),
        }),
        fc.jsonValue({ maxDepth: 1 }),
      ),
    },
    { requiredKeys: [] },
  );
}

const ACCEPTS = [
  "application/json",
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
  "application/json;as=Table;v=v1;g=meta.k8s.io",
  "application/json;as=Table;v=v9;g=meta.k8s.io",
  "application/vnd.kubernetes.protobuf",
  "application/com.github.proto-openapi.spec.v3@v1.0+protobuf",
  "text/html",
  "*/*",
  ";;;",
  "application/yaml",
];

export const list = fc
  .tuple(kind, namespace, params, fc.constantFrom(...ACCEPTS), fc.boolean())
  .map(([k, ns, ps, accept, watch]): FuzzRequest => {
    const extra: Record<string, string> = watch ? { watch: "true", timeoutSeconds: "1" } : {};
    return {
      family: watch ? "watch" : "list",
      method: "GET",
      path:
        collectionPath(k, ns) +
        query(
          ps.filter(([p]) => !(p in extra)),
          extra,
        ),
      headers: { accept },
    };
  });

export const get = fc
  .tuple(kind, name, fc.constantFrom("", "", "status", "scale", "log", "bogus"), fc.constantFrom(...ACCEPTS))
  .map(
    ([k, n, sub, accept]): FuzzRequest => ({
      family: "get",
      method: "GET",
      path: `${collectionPath(k, SEED_NAMESPACE)}/${n}${sub ? `/${sub}` : ""}`,
      headers: { accept },
    }),
  );

const groupVersions = [...new Set(kinds.map((k) => (k.group ? `/apis/${k.group}/${k.version}` : "/api/v1")))];
export const discovery = fc
  .tuple(
    fc.constantFrom(
      "/api",
      "/apis",
      "/version",
      "/version/",
      "/api/v9",
      "/apis/apps",
      "/apis/nope/v1",
      ...groupVersions,
    ),
    fc.constantFrom(...ACCEPTS),
    fc.constantFrom("GET", "GET", "POST", "PUT"),
  )
  .map(
    ([path, accept, method]): FuzzRequest => ({
      family: "discovery",
      method,
      path,
      headers: { accept },
      body: method === "GET" ? undefined : "{}",
    }),
  );
export const openapi = fc
  .tuple(
    fc.constantFrom(
      "/openapi/v2",
      "/openapi/v3",
      "/openapi/v3/api/v1",
      "/openapi/v3/apis/apps/v1",
      "/openapi/v3/apis/nope/v1",
      "/openapi/v3/apis/apps/v1?hash=x",
    ),
    fc.constantFrom(...ACCEPTS),
  )
  .map(([path, accept]): FuzzRequest => ({ family: "openapi", method: "GET", path, headers: { accept } }));

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const kindByName = (obj: Json) =>
  kinds.find((k) => k.kind === obj.kind && (k.group ? `${k.group}/${k.version}` : k.version) === obj.apiVersion);

/** Protobuf bodies: what kubectl sends, with bytes changed, cut or appended; or noise after the magic. */
export const protobuf = fc
  .tuple(
    fc.constantFrom(...KUBECTL_BODIES),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    fc.nat(),
    fc.uint8Array({ maxLength: 40 }),
    fc.nat(3),
  )
  .map(([sample, flips, cut, noise, mode]): FuzzRequest => {
    let bytes = fromBase64(sample.body);
    if (mode === 0) bytes = new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...noise]);
    else {
      for (const [at, value] of flips) bytes[at % bytes.length] = value;
      if (mode === 2) bytes = bytes.slice(0, cut % bytes.length);
      if (mode === 3) bytes = new Uint8Array([...bytes, ...noise]);
    }
    const k = kindByName(sample.expected) ?? kindOf("ConfigMap");
    return {
      family: "protobuf",
      method: "POST",
      path: collectionPath(k, SEED_NAMESPACE),
      headers: { "content-type": "application/vnd.kubernetes.protobuf" },
      body: bytes,
    };
  });
