// The checked-in protobuf tables are exactly what upstream's descriptors and struct tags (compiled into kubectl of
// the release served) give: numbers, types, pointers, omitempty and inline, for every message reachable from what
// the server serves.
import { describe, expect, it } from "vitest";
import { KIND_MESSAGES, MESSAGES, OPTION_MESSAGES } from "../kube/protobuf/messages.ts";
import { readGoStructs, readKubectlDescriptors } from "./kubectl-descriptors.ts";
import { findKubectl, generate, KUBECTL_MINOR } from "./protobuf-messages.ts";

const kubectl = findKubectl();
const inCi = process.env.CI === "true" || process.env.CI === "1";

describe.skipIf(!kubectl && !inCi)(`protobuf tables against kubectl ${KUBECTL_MINOR}'s descriptors`, () => {
  it("match what scripts/protobuf-messages.ts generates", () => {
    if (!kubectl) throw new Error(`kubectl.${KUBECTL_MINOR} not found beside the kubectl on PATH`);
    const upstream = generate(readKubectlDescriptors(kubectl), readGoStructs(kubectl));
    expect(MESSAGES).toEqual(upstream.messages);
    expect(KIND_MESSAGES).toEqual(upstream.kinds);
    expect(OPTION_MESSAGES).toEqual(upstream.options);
  });

  it("read field numbers as upstream's generated.proto has them", () => {
    if (!kubectl) throw new Error(`kubectl.${KUBECTL_MINOR} not found`);
    const all = readKubectlDescriptors(kubectl);
    const deleteOptions = all.get(".k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions");
    // generated.proto: optional int64 gracePeriodSeconds = 1; optional string propagationPolicy = 4; repeated string dryRun = 5;
    expect(deleteOptions?.fields.map((f) => [f.name, f.number, f.nullable])).toEqual(
      expect.arrayContaining([
        ["gracePeriodSeconds", 1, true],
        ["propagationPolicy", 4, true],
        ["dryRun", 5, true],
      ]),
    );
    const pdbSpec = all.get(".k8s.io.api.policy.v1.PodDisruptionBudgetSpec");
    const tags = readGoStructs(kubectl);
    // types.go: Value int32 `json:"value"`, GlobalDefault bool `json:"globalDefault,omitempty"`.
    expect(tags.get("k8s.io/api/scheduling/v1.PriorityClass")?.get(2)).toMatchObject({
      json: "value",
      omitempty: false,
    });
    expect(tags.get("k8s.io/api/scheduling/v1.PriorityClass")?.get(3)).toMatchObject({ omitempty: true });
    // Volume embeds VolumeSource `json:",inline"`.
    expect(tags.get("k8s.io/api/core/v1.Volume")?.get(2)).toMatchObject({ goName: "VolumeSource", inline: true });
    expect(pdbSpec?.fields.map((f) => [f.name, f.number])).toEqual([
      ["minAvailable", 1],
      ["selector", 2],
      ["maxUnavailable", 3],
      ["unhealthyPodEvictionPolicy", 4],
    ]);
  });
});
