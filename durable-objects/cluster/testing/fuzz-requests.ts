// For the fuzz suite: a fast-check arbitrary of Kubernetes API requests over every route family
// (create, update, every patch type and apply, delete, deletecollection, the status, scale,
// binding and eviction subresources, list and watch with their query parameters, discovery,
// OpenAPI) and every body format (JSON, YAML, protobuf, and bodies under the wrong media type).
import fc from "fast-check";
import { stringify as toYaml } from "yaml";
import { KUBECTL_BODIES } from "../../../kube/protobuf/testdata/kubectl-bodies.ts";
import { kindIndex } from "../registry/index.ts";
import type { ResourceKind } from "../registry/types.ts";
import { hostileObject, setAt } from "./fuzz-objects.ts";

// biome-ignore lint/suspicious/noExplicitAny: fuzz bodies are arbitrary JSON
type Json = any;

export interface FuzzRequest {
  family: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Every served kind has an object named SEED in the namespace SEED_NAMESPACE (made by the suite). */
export const SEED = "seed";
export const SEED_NAMESPACE = "default";

const kinds = kindIndex.all;
const kind = fc.constantFrom(...kinds);
const name = fc.constantFrom(SEED, SEED, "fuzz-a", "fuzz-b", "missing", "Bad_Name", "a".repeat(254));
const namespace = fc.constantFrom(SEED_NAMESPACE, SEED_NAMESPACE, SEED_NAMESPACE, "fuzz", "missing-ns", "Bad_NS");

export function collectionPath(k: ResourceKind, ns: string): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : "/api/v1";
  return `${base}${k.namespaced ? `/namespaces/${ns}` : ""}/${k.plural}`;
}

const PARAM_VALUES: Record<string, fc.Arbitrary<string>> = {
  dryRun: fc.constantFrom("All", "All", "bogus", ""),
  fieldManager: fc.oneof(fc.constantFrom("fuzz", "", "x".repeat(200)), fc.string({ maxLength: 6 })),
  fieldValidation: fc.constantFrom("Strict", "Warn", "Ignore", "", "bogus"),
  force: fc.constantFrom("true", "false", "True", "bogus"),
  gracePeriodSeconds: fc.constantFrom("0", "-1", "30", "x", "99999999999"),
  propagationPolicy: fc.constantFrom("Orphan", "Background", "Foreground", "bogus"),
  orphanDependents: fc.constantFrom("true", "false", "x"),
  labelSelector: fc.oneof(
    fc.constantFrom("app=fuzz", "app in (a,b)", "!app", "a=b=c", "x!=", "(", "fuzz=none"),
    fc.string({ maxLength: 8 }),
  ),
  fieldSelector: fc.oneof(
    fc.constantFrom("metadata.name=seed", "spec.nodeName=", "status.phase!=Running", "bogus=1", "=="),
    fc.string({ maxLength: 8 }),
  ),
  limit: fc.constantFrom("1", "0", "-1", "500", "x", "99999999999999999999"),
  continue: fc.oneof(
    fc.constantFrom("", "abc", "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJ4In0"),
    fc.base64String({ maxLength: 20 }),
  ),
  resourceVersion: fc.constantFrom("0", "1", "", "999999999", "-1", "x"),
  resourceVersionMatch: fc.constantFrom("NotOlderThan", "Exact", "bogus"),
  timeoutSeconds: fc.constantFrom("1", "0", "-1", "x"),
  allowWatchBookmarks: fc.constantFrom("true", "x"),
  sendInitialEvents: fc.constantFrom("true", "false", "x"),
  pretty: fc.constantFrom("true", "1"),
};

type Params = (readonly [string, string])[];
const params: fc.Arbitrary<Params> = fc
  .uniqueArray(fc.constantFrom(...Object.keys(PARAM_VALUES)), { maxLength: 4 })
  .chain((keys) =>
    fc.tuple(...keys.map((k) => PARAM_VALUES[k].map((v) => [k, v] as const))).map((pairs) => [...pairs]),
  );

const query = (pairs: readonly (readonly [string, string])[], extra: Record<string, string> = {}) => {
  const q = new URLSearchParams([...pairs.map(([k, v]) => [k, v] as [string, string]), ...Object.entries(extra)]);
  const s = q.toString();
  return s ? `?${s}` : "";
};

type Encoding = "json" | "yaml" | "junk";
const encoding = fc.constantFrom<Encoding>("json", "json", "json", "yaml", "junk");

function encode(
  body: unknown,
  how: Encoding,
  type = "application/json",
): { headers: Record<string, string>; body: string } {
  if (how === "yaml") return { headers: { "content-type": "application/yaml" }, body: toYaml(body) };
  if (how === "junk") return { headers: { "content-type": "text/plain" }, body: String(JSON.stringify(body)) };
  return { headers: { "content-type": type }, body: JSON.stringify(body) ?? "null" };
}

const hostileFor = (k: ResourceKind, n: fc.Arbitrary<string> = name) => hostileObject(k, n);

const create = fc.tuple(kind, namespace, params, encoding).chain(([k, ns, ps, how]) =>
  hostileFor(k).map(
    (obj): FuzzRequest => ({
      family: "create",
      method: "POST",
      path: collectionPath(k, ns) + query(ps),
      ...encode(obj, how),
    }),
  ),
);

const update = fc.tuple(kind, params, encoding).chain(([k, ps, how]) =>
  hostileFor(k, fc.constant(SEED)).map(
    (obj): FuzzRequest => ({
      family: "update",
      method: "PUT",
      path: `${collectionPath(k, SEED_NAMESPACE)}/${SEED}${query(ps)}`,
      ...encode(obj, how),
    }),
  ),
);

const pointer = fc.oneof(
  fc.constantFrom(
    "/kind",
    "/apiVersion",
    "/metadata/name",
    "/metadata/namespace",
    "/metadata/labels/app",
    "",
    "/",
    "/-",
    "/spec/-",
    "/metadata/finalizers/-",
  ),
  fc
    .array(
      fc.oneof(
        fc.constantFrom("spec", "metadata", "data", "template", "containers", "0", "1", "-", "~1", "~0"),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 5 },
    )
    .map((p) => `/${p.join("/")}`),
);
const jsonPatch = fc.array(
  fc.record(
    {
      op: fc.constantFrom("add", "remove", "replace", "move", "copy", "test", "bogus"),
      path: pointer,
      from: pointer,
      value: fc.jsonValue({ maxDepth: 3 }),
    },
    { requiredKeys: ["op", "path"] },
  ),
  { maxLength: 4 },
);

const DIRECTIVES = fc.constantFrom<[string, unknown]>(
  ["$patch", "replace"],
  ["$patch", "delete"],
  ["$patch", "merge"],
  ["$patch", "bogus"],
  ["$retainKeys", ["a"]],
  ["$retainKeys", "x"],
  ["$setElementOrder/containers", [{ name: "c" }]],
  ["$setElementOrder/finalizers", ["a"]],
  ["$deleteFromPrimitiveList/finalizers", ["a"]],
  ["$deleteFromPrimitiveList/args", 5],
);

/** A strategic merge patch: a hostile object with directives placed in it. */
const smpPatch = (k: ResourceKind) =>
  fc
    .tuple(
      hostileFor(k, fc.constant(SEED)),
      fc.array(fc.tuple(fc.array(fc.constantFrom("spec", "metadata", "template", "containers", 0)), DIRECTIVES), {
        maxLength: 2,
      }),
    )
    .map(([obj, ds]) => {
      for (const [path, [key, value]] of ds) setAt(obj, [...path, key], value);
      return obj;
    });

const PATCH_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
];

const patchBody = (k: ResourceKind, type: string): fc.Arbitrary<unknown> => {
  if (type === PATCH_TYPES[0]) return fc.oneof({ weight: 4, arbitrary: jsonPatch }, fc.jsonValue({ maxDepth: 2 }));
  if (type === PATCH_TYPES[2]) return fc.oneof({ weight: 4, arbitrary: smpPatch(k) }, fc.jsonValue({ maxDepth: 2 }));
  return fc.oneof(
    { weight: 4, arbitrary: hostileFor(k, fc.constantFrom(SEED, SEED, "other")) },
    fc.jsonValue({ maxDepth: 2 }),
  );
};

const patch = fc
  .tuple(
    kind,
    fc.constantFrom(...PATCH_TYPES, "application/json", "text/plain"),
    params,
    fc.constantFrom("", "", "status", "scale", "bogus"),
  )
  .chain(([k, type, ps, sub]) =>
    fc.tuple(patchBody(k, type), fc.boolean()).map(([body, yaml]): FuzzRequest => {
      const text = type === PATCH_TYPES[3] && yaml ? toYaml(body) : (JSON.stringify(body) ?? "null");
      const extra: Record<string, string> =
        type === PATCH_TYPES[3] && !ps.some(([p]) => p === "fieldManager") ? { fieldManager: "fuzz" } : {};
      const path = `${collectionPath(k, SEED_NAMESPACE)}/${SEED}${sub ? `/${sub}` : ""}${query(ps, extra)}`;
      return {
        family: `patch ${type}${sub ? ` ${sub}` : ""}`,
        method: "PATCH",
        path,
        headers: { "content-type": type },
        body: text,
      };
    }),
  );

const deleteOptions = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      kind: fc.constantFrom("DeleteOptions", "Pod", 5),
      apiVersion: fc.constantFrom("v1", "meta.k8s.io/v1", "v9"),
      gracePeriodSeconds: fc.oneof(fc.integer({ min: -2, max: 100 }), fc.string({ maxLength: 3 })),
      propagationPolicy: fc.constantFrom("Orphan", "Background", "Foreground", "x", 1),
      preconditions: fc.oneof(
        fc.constant({ uid: "nope" }),
        fc.constant({ resourceVersion: "1" }),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      dryRun: fc.oneof(fc.constant(["All"]), fc.constant("All"), fc.constant(["x"])),
      orphanDependents: fc.oneof(fc.boolean(), fc.constant("x")),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Deletes mostly as dry runs, so the seeds stay for the other families. */
const remove = fc
  .tuple(kind, fc.boolean(), name, params, deleteOptions, fc.nat(9))
  .map(([k, named, n, ps, body, dice]): FuzzRequest => {
    const extra: Record<string, string> = dice < 8 ? { dryRun: "All" } : { labelSelector: "fuzz=none" };
    const path = `${collectionPath(k, SEED_NAMESPACE)}${named ? `/${n}` : ""}${query(
      ps.filter(([p]) => !(p in extra)),
      extra,
    )}`;
    return {
      family: named ? "delete" : "deletecollection",
      method: "DELETE",
      path,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
  });

const kindOf = (k: string) => kinds.find((x) => x.kind === k && !x.conversion)!;
const subresourceBody = fc.oneof(
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

const list = fc
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

const get = fc
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
const discovery = fc
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
const openapi = fc
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
const protobuf = fc
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

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 5, arbitrary: create },
  { weight: 3, arbitrary: update },
  { weight: 6, arbitrary: patch },
  { weight: 2, arbitrary: remove },
  { weight: 3, arbitrary: subresourceBody },
  { weight: 2, arbitrary: list },
  { weight: 1, arbitrary: get },
  { weight: 1, arbitrary: discovery },
  { weight: 1, arbitrary: openapi },
  { weight: 2, arbitrary: protobuf },
);
