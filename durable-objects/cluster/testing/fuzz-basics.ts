// For the fuzz suite: what every request family shares — the request shape, the seeds' names,
// paths, query parameters with odd values, body encodings and DeleteOptions bodies.
import fc from "fast-check";
import { stringify as toYaml } from "yaml";
import { kindIndex } from "../registry/index.ts";
import type { ResourceKind } from "../registry/types.ts";
import { hostileObject } from "./fuzz-objects.ts";

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

export const kinds = kindIndex.all;
export const kind = fc.constantFrom(...kinds);
export const name = fc.constantFrom(SEED, SEED, "fuzz-a", "fuzz-b", "missing", "Bad_Name", "a".repeat(254));
export const namespace = fc.constantFrom(
  SEED_NAMESPACE,
  SEED_NAMESPACE,
  SEED_NAMESPACE,
  "fuzz",
  "missing-ns",
  "Bad_NS",
);

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
export const params: fc.Arbitrary<Params> = fc
  .uniqueArray(fc.constantFrom(...Object.keys(PARAM_VALUES)), { maxLength: 4 })
  .chain((keys) =>
    fc.tuple(...keys.map((k) => PARAM_VALUES[k].map((v) => [k, v] as const))).map((pairs) => [...pairs]),
  );

export const query = (pairs: readonly (readonly [string, string])[], extra: Record<string, string> = {}) => {
  const q = new URLSearchParams([...pairs.map(([k, v]) => [k, v] as [string, string]), ...Object.entries(extra)]);
  const s = q.toString();
  return s ? `?${s}` : "";
};

export type Encoding = "json" | "yaml" | "junk";
export const encoding = fc.constantFrom<Encoding>("json", "json", "json", "yaml", "junk");

export function encode(
  body: unknown,
  how: Encoding,
  type = "application/json",
): { headers: Record<string, string>; body: string } {
  if (how === "yaml") return { headers: { "content-type": "application/yaml" }, body: toYaml(body) };
  if (how === "junk") return { headers: { "content-type": "text/plain" }, body: String(JSON.stringify(body)) };
  return { headers: { "content-type": type }, body: JSON.stringify(body) ?? "null" };
}

export const hostileFor = (k: ResourceKind, n: fc.Arbitrary<string> = name) => hostileObject(k, n);

export const deleteOptions = fc.oneof(
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
