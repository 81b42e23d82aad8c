// Golden error cases for strategic merge patch: upstream's messages and HTTP codes, except that the
// failures upstream passes through as a 500 are 400 here (no input may answer 5xx).
import type { SmpCase } from "./smp-cases.ts";

const c = (name: string, image = "img:1") => ({ name, image });
const pod = (spec: object) => ({ kind: "Pod", metadata: { name: "p" }, spec });
const podSpec = (patch: object) => ({ spec: patch });

export const smpErrorCases: SmpCase[] = [
  {
    name: "a patch that is not an object",
    kind: "Pod",
    original: pod({}),
    patch: [1],
    error: { code: 400, message: "json: cannot unmarshal array into Go value of type map[string]interface {}" },
  },
  {
    name: "an element without its merge key",
    kind: "Pod",
    original: pod({ containers: [c("a")] }),
    patch: podSpec({ containers: [{ image: "x" }] }),
    error: { code: 400, message: "map: map[image:x] does not contain declared merge key: name" },
  },
  {
    name: "a delete directive without the merge key",
    kind: "Pod",
    original: pod({ containers: [c("a")] }),
    patch: podSpec({ containers: [{ $patch: "delete" }] }),
    error: { code: 400, message: "map: map[$patch:delete] does not contain declared merge key: name" },
  },
  {
    name: "$patch: merge in a list",
    kind: "Pod",
    original: pod({ containers: [c("a")] }),
    patch: podSpec({ containers: [{ name: "a", $patch: "merge" }] }),
    error: { code: 400, message: "merging lists cannot yet be specified in the patch" },
  },
  {
    name: "an unknown $patch on a map",
    kind: "Pod",
    original: pod({}),
    patch: { metadata: { labels: { $patch: "frob" } } },
    error: { code: 400, message: "unknown patch type: frob in map: map[$patch:frob]" },
  },
  {
    name: "$retainKeys that is not a list",
    kind: "Deployment",
    original: { spec: { strategy: { type: "Recreate" } } },
    patch: { spec: { strategy: { $retainKeys: "type" } } },
    error: { code: 400, message: "invalid patch format of retainKeys" },
  },
  {
    name: "patch fields missing from $retainKeys",
    kind: "Deployment",
    original: { spec: { strategy: { type: "Recreate" } } },
    patch: { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: { maxSurge: 1 } } } },
    error: { code: 400, message: "invalid patch format of retainKeys" },
  },
  {
    name: "$deleteFromPrimitiveList that is not a list",
    kind: "ConfigMap",
    original: { metadata: { finalizers: ["a"] } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": "a" } },
    error: { code: 400, message: "invalid patch format of primitive list" },
  },
  {
    name: "a $setElementOrder key without a field",
    kind: "Pod",
    original: pod({}),
    patch: podSpec({ $setElementOrderContainers: [] }),
    error: { code: 400, message: "invalid patch format of setElementOrder list" },
  },
  {
    name: "a $setElementOrder list that contradicts the patch order",
    kind: "Pod",
    original: pod({ containers: [c("a"), c("b")] }),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "a" }, { name: "b" }], containers: [c("b"), c("a")] }),
    error: {
      code: 400,
      message:
        "The order in patch list:\n[map[image:img:1 name:b] map[image:img:1 name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n",
    },
  },
  {
    name: "lists of lists",
    kind: "ConfigMap",
    original: { metadata: { finalizers: [["a"]] } },
    patch: { metadata: { finalizers: [["b"]] } },
    error: { code: 422, message: "the server rejected our request due to an error in our request" },
  },
  {
    name: "elements of different types",
    kind: "ConfigMap",
    original: { metadata: { finalizers: ["a"] } },
    patch: { metadata: { finalizers: [1] } },
    error: { code: 400, message: "list element types are not identical: [[a] [1]]" },
  },
];
