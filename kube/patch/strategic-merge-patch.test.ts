import { describe, expect, it } from "vitest";
import { StatusError } from "../status.ts";
import { patchSchemaForKind } from "./merge-keys.ts";
import { applyStrategicMergePatch, applyStrategicMergePatchWithSchema } from "./strategic-merge-patch.ts";
import { type SmpCase, smpCases } from "./testdata/smp-cases.ts";
import { smpErrorCases } from "./testdata/smp-error-cases.ts";
import { mergeItemSchema, upstreamCases } from "./testdata/smp-upstream-cases.ts";

const allCases: SmpCase[] = [
  ...smpCases,
  ...smpErrorCases,
  ...upstreamCases.map((t) => ({ ...t, schema: mergeItemSchema })),
];
const successes = allCases.filter((t) => t.error === undefined);
const failures = allCases.filter((t) => t.error !== undefined);

const apply = (t: SmpCase) =>
  t.schema
    ? applyStrategicMergePatchWithSchema(t.original, t.patch, t.schema)
    : applyStrategicMergePatch(t.original, t.patch, t.kind);

describe("applyStrategicMergePatch: golden cases", () => {
  it.each(successes.map((t) => [t.name, t] as const))("%s", (_name, t) => {
    const original = structuredClone(t.original);
    const patch = structuredClone(t.patch);
    expect(apply(t)).toStrictEqual(t.expected);
    expect(t.original).toStrictEqual(original);
    expect(t.patch).toStrictEqual(patch);
  });
});

describe("applyStrategicMergePatch: errors", () => {
  it.each(failures.map((t) => [t.name, t] as const))("%s", (_name, t) => {
    let err: unknown;
    try {
      apply(t);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect({ code: (err as StatusError).code, message: (err as StatusError).message }).toEqual(t.error);
  });
});

describe("applyStrategicMergePatch: properties", () => {
  it("never shares structure with its inputs", () => {
    const original = { metadata: { labels: { a: "1" } }, spec: { containers: [{ name: "a", env: [{ name: "X" }] }] } };
    const patch = { spec: { containers: [{ name: "b", env: [{ name: "Y" }] }] } };
    const out = applyStrategicMergePatch(original, patch, "Pod") as typeof original;
    out.metadata.labels.a = "changed";
    for (const c of out.spec.containers) c.env.push({ name: "Z" });
    expect(original).toEqual({
      metadata: { labels: { a: "1" } },
      spec: { containers: [{ name: "a", env: [{ name: "X" }] }] },
    });
    expect(patch).toEqual({ spec: { containers: [{ name: "b", env: [{ name: "Y" }] }] } });
  });

  it("keeps __proto__ as data and never touches Object.prototype", () => {
    const patch = JSON.parse('{"metadata": {"__proto__": {"polluted": 1}, "labels": {"__proto__": "x"}}}');
    const out = applyStrategicMergePatch({ metadata: { labels: {} } }, patch, "Pod") as { metadata: object };
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"metadata":{"labels":{"__proto__":"x"},"__proto__":{"polluted":1}}}');
  });

  it("agrees with JSON merge patch where no list merges", () => {
    const original = { metadata: { name: "x", annotations: { a: "1" } }, data: { k: "v" } };
    const patch = { metadata: { annotations: { a: null, b: "2" } }, data: { k: "w" } };
    expect(applyStrategicMergePatch(original, patch, "ConfigMap")).toEqual({
      metadata: { name: "x", annotations: { b: "2" } },
      data: { k: "w" },
    });
  });

  it("accepts an explicit schema", () => {
    const schema = { items: { strategy: "merge" as const, mergeKey: "id" } };
    expect(
      applyStrategicMergePatchWithSchema({ items: [{ id: 1, v: 1 }] }, { items: [{ id: 1, v: 2 }] }, schema),
    ).toEqual({
      items: [{ id: 1, v: 2 }],
    });
  });
});

describe("patchSchemaForKind", () => {
  it.each([
    ["Pod", ["spec", "containers"], "name"],
    ["Deployment", ["spec", "template", "spec", "initContainers"], "name"],
    ["CronJob", ["spec", "jobTemplate", "spec", "template", "spec", "volumes"], "name"],
    ["Service", ["spec", "ports"], "port"],
    ["Node", ["status", "conditions"], "type"],
    ["Anything", ["metadata", "ownerReferences"], "uid"],
  ])("%s %j merges by %s", (kind, path, key) => {
    // biome-ignore lint/suspicious/noExplicitAny: walking the nested schema in a test
    let meta: any = { fields: patchSchemaForKind(kind) };
    for (const p of path) meta = meta.fields[p];
    expect(meta).toMatchObject({ strategy: "merge", mergeKey: key });
  });

  it("does not inherit Object.prototype fields as metadata", () => {
    expect(applyStrategicMergePatch({ constructor: [1] }, { constructor: [2] }, "toString")).toEqual({
      constructor: [2],
    });
  });
});
