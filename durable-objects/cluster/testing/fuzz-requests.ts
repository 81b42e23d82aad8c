// For the fuzz suite: a fast-check arbitrary of Kubernetes API requests over every route family
// (create, update, every patch type and apply, delete, deletecollection, the status, scale,
// binding and eviction subresources, list and watch with their query parameters, discovery,
// OpenAPI) and every body format (JSON, YAML, protobuf, and bodies under the wrong media type).
import fc from "fast-check";
import { stringify as toYaml } from "yaml";
import type { ResourceKind } from "../registry/types.ts";
import {
  collectionPath,
  deleteOptions,
  encode,
  encoding,
  type FuzzRequest,
  hostileFor,
  kind,
  name,
  namespace,
  params,
  query,
  SEED,
  SEED_NAMESPACE,
} from "./fuzz-basics.ts";
import { setAt } from "./fuzz-objects.ts";
import { discovery, get, list, openapi, protobuf, subresourceBody } from "./fuzz-reads.ts";

export { collectionPath, type FuzzRequest, SEED, SEED_NAMESPACE } from "./fuzz-basics.ts";

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
