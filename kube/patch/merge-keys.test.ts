import { describe, expect, it } from "vitest";
import { type FieldPatchMeta, fieldPatchMeta, type PatchSchema, patchSchemaForKind } from "./merge-keys.ts";

/** The metadata at a path of field names (lists are transparent, as in the patch engine). */
function at(kind: string, path: string[]): FieldPatchMeta {
  let meta: FieldPatchMeta = { fields: patchSchemaForKind(kind) };
  for (const p of path) meta = fieldPatchMeta(meta.fields, p);
  return meta;
}

// The strategic-merge part of the metadata; listMapKeys (server-side apply) is checked separately.
const strip = ({ fields: _fields, listMapKeys: _keys, ...rest }: FieldPatchMeta) => rest;

describe("merge-key table derived from the schemas", () => {
  it.each<[string, string[], FieldPatchMeta]>([
    ["Pod", ["spec", "containers"], { strategy: "merge", mergeKey: "name" }],
    ["Pod", ["spec", "containers", "ports"], { strategy: "merge", mergeKey: "containerPort" }],
    ["Pod", ["spec", "containers", "env"], { strategy: "merge", mergeKey: "name" }],
    ["Pod", ["spec", "containers", "volumeMounts"], { strategy: "merge", mergeKey: "mountPath" }],
    ["Pod", ["spec", "containers", "volumeDevices"], { strategy: "merge", mergeKey: "devicePath" }],
    ["Pod", ["spec", "ephemeralContainers", "env"], { strategy: "merge", mergeKey: "name" }],
    ["Pod", ["spec", "volumes"], { strategy: "merge", mergeKey: "name", retainKeys: true }],
    ["Pod", ["spec", "hostAliases"], { strategy: "merge", mergeKey: "ip" }],
    ["Pod", ["spec", "topologySpreadConstraints"], { strategy: "merge", mergeKey: "topologyKey" }],
    ["Pod", ["spec", "resourceClaims"], { strategy: "merge", mergeKey: "name", retainKeys: true }],
    ["Pod", ["spec", "tolerations"], {}],
    ["Pod", ["spec", "containers", "args"], {}],
    ["Pod", ["status", "podIPs"], { strategy: "merge", mergeKey: "ip" }],
    ["Deployment", ["spec", "strategy"], { retainKeys: true }],
    ["Deployment", ["spec", "template", "spec", "initContainers"], { strategy: "merge", mergeKey: "name" }],
    ["Deployment", ["status", "conditions"], { strategy: "merge", mergeKey: "type" }],
    ["StatefulSet", ["spec", "template", "metadata", "finalizers"], { strategy: "merge" }],
    [
      "CronJob",
      ["spec", "jobTemplate", "spec", "template", "spec", "volumes"],
      { strategy: "merge", mergeKey: "name", retainKeys: true },
    ],
    ["Job", ["status", "conditions"], { strategy: "merge", mergeKey: "type" }],
    ["Service", ["spec", "ports"], { strategy: "merge", mergeKey: "port" }],
    ["Node", ["spec", "podCIDRs"], { strategy: "merge" }],
    ["Node", ["status", "addresses"], { strategy: "merge", mergeKey: "type" }],
    ["ServiceAccount", ["secrets"], { strategy: "merge", mergeKey: "name" }],
    ["Endpoints", ["subsets"], {}],
    ["ConfigMap", ["metadata", "ownerReferences"], { strategy: "merge", mergeKey: "uid" }],
    ["Widget", ["metadata", "finalizers"], { strategy: "merge" }],
    ["Widget", ["spec"], {}],
  ])("%s %j", (kind, path, expected) => {
    expect(strip(at(kind, path))).toEqual(expected);
  });

  it("leaves out fields without patch behaviour", () => {
    const pod: PatchSchema = patchSchemaForKind("Pod");
    expect(Object.keys(pod).sort()).toEqual(["metadata", "spec", "status"]);
    expect(Object.hasOwn(pod.spec.fields ?? {}, "nodeName")).toBe(false);
  });

  it("returns the same tables on every call (derived once)", () => {
    expect(patchSchemaForKind("Deployment").spec).toBe(patchSchemaForKind("Deployment").spec);
  });
});

describe("listMapKeys", () => {
  it.each<[string, string[], readonly string[] | undefined]>([
    ["Pod", ["spec", "containers"], ["name"]],
    ["Pod", ["spec", "containers", "ports"], ["containerPort", "protocol"]],
    ["Service", ["spec", "ports"], ["port", "protocol"]],
    ["Pod", ["spec", "tolerations"], undefined],
  ])("%s %j", (kind, path, keys) => {
    expect(at(kind, path).listMapKeys).toEqual(keys);
  });
});
