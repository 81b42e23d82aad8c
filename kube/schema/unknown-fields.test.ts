import { describe, expect, it } from "vitest";
import { ref } from "./dsl.ts";
import { definitions } from "./registry.ts";
import { cronJob, featurePod, fullDeployment, service } from "./testdata/manifests.ts";
import { findUnknownFields } from "./unknown-fields.ts";

const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";
const POD = "io.k8s.api.core.v1.Pod";
const unknown = (def: string, obj: unknown, prune = false) => findUnknownFields(definitions, ref(def), obj, prune);

describe("findUnknownFields: valid manifests", () => {
  it.each([
    ["Deployment", DEPLOYMENT, fullDeployment],
    ["Pod", POD, featurePod],
    ["Service", "io.k8s.api.core.v1.Service", service],
    ["CronJob", "io.k8s.api.batch.v1.CronJob", cronJob],
  ])("%s has no unknown fields", (_name, def, manifest) => {
    expect(unknown(def, structuredClone(manifest))).toEqual([]);
  });
});

/** Sets a field by path segments (numbers index arrays) on a copy of the manifest. */
function withField(manifest: object, path: (string | number)[], value: unknown): object {
  const copy = structuredClone(manifest) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  at[path[path.length - 1]] = value;
  return copy;
}

const podSpec = ["spec", "template", "spec"];

describe("findUnknownFields: misspellings", () => {
  it.each([
    ["top level", [["kindd"]], ["kindd"]],
    ["metadata", [["metadata", "lables"]], ["metadata.lables"]],
    ["spec", [["spec", "replica"]], ["spec.replica"]],
    ["container", [[...podSpec, "containers", 0, "imagee"]], ["spec.template.spec.containers[0].imagee"]],
    [
      "env var source",
      [[...podSpec, "containers", 0, "env", 1, "valueFrom", "fieldRef", "fieldpath"]],
      ["spec.template.spec.containers[0].env[1].valueFrom.fieldRef.fieldpath"],
    ],
    [
      "probe action",
      [[...podSpec, "containers", 0, "livenessProbe", "httpGet", "paht"]],
      ["spec.template.spec.containers[0].livenessProbe.httpGet.paht"],
    ],
    [
      "affinity term",
      [
        [
          ...podSpec,
          "affinity",
          "nodeAffinity",
          "requiredDuringSchedulingIgnoredDuringExecution",
          "nodeSelectorTerms",
          0,
          "matchExpression",
        ],
      ],
      [
        "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpression",
      ],
    ],
    [
      "volume source",
      [[...podSpec, "volumes", 1, "configMap", "nmae"]],
      ["spec.template.spec.volumes[1].configMap.nmae"],
    ],
    ["rolling update", [["spec", "strategy", "rollingUpdate", "maxSurg"]], ["spec.strategy.rollingUpdate.maxSurg"]],
    [
      "several, in document order",
      [
        ["spec", "replica"],
        [...podSpec, "containers", 0, "port"],
        ["metadata", "lables"],
      ],
      ["metadata.lables", "spec.template.spec.containers[0].port", "spec.replica"],
    ],
  ] as const)("%s", (_name, edits, expected) => {
    let manifest: object = fullDeployment;
    for (const path of edits) manifest = withField(manifest, [...path], "x");
    expect(unknown(DEPLOYMENT, manifest)).toEqual(expected);
  });

  it("accepts anything below free-form nodes (legacy volume sources, FieldsV1)", () => {
    const pod = withField(featurePod, ["spec", "volumes", 6, "awsElasticBlockStore", "anything"], { deep: 1 });
    const meta = withField(pod, ["metadata", "managedFields"], [{ manager: "m", fieldsV1: { "f:spec": {} } }]);
    expect(unknown(POD, meta)).toEqual([]);
  });

  it("ignores values of the wrong type (decoding reports those)", () => {
    expect(unknown(POD, { spec: { containers: "nope", volumes: [null, 3] } })).toEqual([]);
  });
});

describe("findUnknownFields: pruning", () => {
  it("removes exactly the unknown fields, in place", () => {
    const manifest = withField(
      withField(fullDeployment, [...podSpec, "containers", 0, "imagee"], "x"),
      ["spec", "bogus"],
      { a: 1 },
    );
    expect(unknown(DEPLOYMENT, manifest, true)).toEqual(["spec.template.spec.containers[0].imagee", "spec.bogus"]);
    expect(manifest).toEqual(fullDeployment);
    expect(unknown(DEPLOYMENT, manifest)).toEqual([]);
  });
});
