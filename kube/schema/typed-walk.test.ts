import { describe, expect, it } from "vitest";
import { KUBECTL_BODIES } from "../protobuf/testdata/kubectl-bodies.ts";
import { ref } from "./dsl.ts";
import { definitionNameFor, definitions } from "./registry.ts";
import { cronJob, featurePod, fullDeployment, service } from "./testdata/manifests.ts";
import { typedWalk } from "./typed-walk.ts";

const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";
const CONFIGMAP = "io.k8s.api.core.v1.ConfigMap";
const walk = (def: string, obj: unknown, prune = false) =>
  typedWalk(definitions, ref(def), structuredClone(obj), { prune });

describe("typedWalk: valid objects pass", () => {
  it.each([
    ["Deployment", DEPLOYMENT, fullDeployment],
    ["Pod", "io.k8s.api.core.v1.Pod", featurePod],
    ["Service", "io.k8s.api.core.v1.Service", service],
    ["CronJob", "io.k8s.api.batch.v1.CronJob", cronJob],
  ])("%s", (_name, def, manifest) => {
    expect(walk(def, manifest)).toEqual({ typeError: undefined, unknown: [] });
  });

  it.each(KUBECTL_BODIES)("what kubectl sends for $command", ({ expected }) => {
    const obj = expected as { apiVersion: string; kind: string };
    const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
    const def = definitionNameFor({ group, version, kind: obj.kind });
    expect(def).toBeDefined();
    expect(walk(def!, expected).typeError).toBeUndefined();
  });
});

describe("typedWalk: wrong JSON types are Go's decode errors", () => {
  // Messages as sigs.k8s.io/json (Go's encoding/json) words them: the innermost struct's type name,
  // the JSON field names from the top (no list indexes or map keys), the Go type of the field.
  it.each([
    [
      CONFIGMAP,
      { metadata: { name: ["x"] } },
      "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.name of type string",
    ],
    [
      CONFIGMAP,
      { metadata: { labels: { a: 5 } } },
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
    ],
    [
      CONFIGMAP,
      { data: { a: true } },
      "json: cannot unmarshal bool into Go struct field ConfigMap.data of type string",
    ],
    [
      CONFIGMAP,
      { metadata: "x" },
      "json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta",
    ],
    [
      DEPLOYMENT,
      { spec: true },
      "json: cannot unmarshal bool into Go struct field Deployment.spec of type v1.DeploymentSpec",
    ],
    [
      DEPLOYMENT,
      { spec: { replicas: "3" } },
      "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
    ],
    [
      DEPLOYMENT,
      { spec: { replicas: 1.5 } },
      "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
    ],
    [
      DEPLOYMENT,
      { spec: { template: { spec: { containers: [{ name: "a", command: "sh" }] } } } },
      "json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.command of type []string",
    ],
    [
      DEPLOYMENT,
      { spec: { template: { spec: { containers: { name: "a" } } } } },
      "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container",
    ],
    [
      "io.k8s.api.core.v1.Service",
      { spec: { ports: [{ port: 80, targetPort: true }] } },
      "json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32",
    ],
    [
      "io.k8s.api.core.v1.Pod",
      { spec: { containers: [{ name: "a", resources: { limits: { cpu: [] } } }] } },
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ],
    [
      CONFIGMAP,
      { metadata: { creationTimestamp: 5 } },
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string",
    ],
    [CONFIGMAP, [], "json: cannot unmarshal array into Go value of type v1.ConfigMap"],
  ])("%s %j", (def, obj, message) => {
    expect(walk(def, obj).typeError).toBe(message);
  });

  it("reports the first error in document order and still lists unknown fields", () => {
    const r = walk(CONFIGMAP, { metadata: { name: 1, namespace: 2, lables: {} }, data: { a: 1 } });
    expect(r.typeError).toBe(
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string",
    );
    expect(r.unknown).toEqual(["metadata.lables"]);
  });
});

describe("typedWalk: nulls become what Go holds after decoding", () => {
  it("drops null fields and zeroes null list and map entries", () => {
    const obj = {
      metadata: { name: "a", labels: { x: null } },
      spec: { replicas: null, template: { spec: { containers: [null], imagePullSecrets: null } } },
    };
    expect(typedWalk(definitions, ref(DEPLOYMENT), obj).typeError).toBeUndefined();
    expect(obj).toEqual({
      metadata: { name: "a", labels: { x: "" } },
      spec: { template: { spec: { containers: [{}] } } },
    });
  });

  it("prunes unknown fields when asked", () => {
    const obj = { metadata: { name: "a", nope: 1 }, data: {} };
    expect(typedWalk(definitions, ref(CONFIGMAP), obj, { prune: true }).unknown).toEqual(["metadata.nope"]);
    expect(obj).toEqual({ metadata: { name: "a" }, data: {} });
  });
});

describe("schemas are Kubernetes 1.32's, the version the server reports", () => {
  // Each field was added in a later release (1.33: stopSignal, pod observedGeneration,
  // terminatingReplicas, forNodes; 1.34: podCertificate; 1.35: declaredFeatures).
  it.each([
    [
      "io.k8s.api.core.v1.Pod",
      { spec: { volumes: [{ name: "v", projected: { sources: [{ podCertificate: {} }] } }] } },
      "spec.volumes[0].projected.sources[0].podCertificate",
    ],
    [
      "io.k8s.api.core.v1.Pod",
      { spec: { containers: [{ name: "c", lifecycle: { stopSignal: "SIGUSR1" } }] } },
      "spec.containers[0].lifecycle.stopSignal",
    ],
    ["io.k8s.api.core.v1.Pod", { status: { observedGeneration: 1 } }, "status.observedGeneration"],
    [
      "io.k8s.api.core.v1.Pod",
      { status: { conditions: [{ type: "Ready", observedGeneration: 1 }] } },
      "status.conditions[0].observedGeneration",
    ],
    [
      "io.k8s.api.core.v1.Pod",
      { status: { containerStatuses: [{ name: "c", stopSignal: "SIGTERM" }] } },
      "status.containerStatuses[0].stopSignal",
    ],
    [DEPLOYMENT, { status: { terminatingReplicas: 1 } }, "status.terminatingReplicas"],
    [
      "io.k8s.api.apps.v1.ReplicaSet",
      { status: { replicas: 1, terminatingReplicas: 1 } },
      "status.terminatingReplicas",
    ],
    ["io.k8s.api.core.v1.Node", { status: { declaredFeatures: [] } }, "status.declaredFeatures"],
    [
      "io.k8s.api.discovery.v1.EndpointSlice",
      { addressType: "IPv4", endpoints: [{ addresses: ["10.0.0.1"], hints: { forNodes: [] } }] },
      "endpoints[0].hints.forNodes",
    ],
  ])("%s: %s is unknown", (def, obj, path) => {
    expect(walk(def, obj).unknown).toEqual([path]);
  });
});
