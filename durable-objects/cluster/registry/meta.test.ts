import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, ObjectMeta } from "../../../kube/types.ts";
import { nameProblems, prepareObjectMetaForUpdate, validateObjectMeta, validateObjectMetaUpdate } from "./meta.ts";
import type { ResourceKind } from "./types.ts";

const kind = (over: Partial<ResourceKind> = {}): ResourceKind => ({
  group: "",
  version: "v1",
  kind: "ConfigMap",
  plural: "configmaps",
  singular: "configmap",
  namespaced: true,
  nameRule: "subdomain",
  columns: [],
  ...over,
});

const obj = (metadata: ObjectMeta): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata });
const texts = (o: KubeObject, k = kind()) => validateObjectMeta(o, k).map(fieldErrorText);

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe("validateObjectMeta", () => {
  it.each<[string, ObjectMeta, string[]]>([
    ["a valid object", { name: "cfg", namespace: "default", labels: { app: "web" } }, []],
    [
      "neither name nor generateName",
      { namespace: "default" },
      ["metadata.name: Required value: name or generateName is required"],
    ],
    ["generateName alone", { generateName: "cfg-", namespace: "default" }, []],
    [
      "a bad name",
      { name: "Bad_Name", namespace: "default" },
      [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`],
    ],
    [
      "a bad generateName",
      { generateName: "Bad-", namespace: "default" },
      [`metadata.generateName: Invalid value: "Bad-": ${SUBDOMAIN_MSG}`],
    ],
    ["no namespace", { name: "cfg" }, ["metadata.namespace: Required value"]],
    [
      "a bad label value",
      { name: "cfg", namespace: "default", labels: { app: "-x" } },
      [
        `metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    [
      "an empty owner reference",
      { name: "cfg", namespace: "default", ownerReferences: [{ apiVersion: "", kind: "", name: "", uid: "" }] },
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    ],
    [
      "an unqualified, non-standard finalizer in the core group",
      { name: "cfg", namespace: "default", finalizers: ["kubernetes", "example.com/x", "custom"] },
      [
        'metadata.finalizers[2]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ],
    ],
    [
      "orphan together with foregroundDeletion",
      { name: "cfg", namespace: "default", finalizers: ["orphan", "foregroundDeletion"] },
      [
        'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
      ],
    ],
    [
      "a negative generation",
      { name: "cfg", namespace: "default", generation: -1 },
      ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"],
    ],
  ])("%s", (_name, metadata, expected) => {
    expect(texts(obj(metadata))).toEqual(expected);
  });

  it("allows unqualified finalizers outside the core group", () => {
    expect(texts(obj({ name: "d", namespace: "default", finalizers: ["custom"] }), kind({ group: "apps" }))).toEqual(
      [],
    );
  });

  it("rejects a second controller reference", () => {
    const ref = { apiVersion: "apps/v1", kind: "ReplicaSet", uid: "u", controller: true };
    const errs = texts(
      obj({
        name: "p",
        namespace: "default",
        ownerReferences: [
          { ...ref, name: "a" },
          { ...ref, name: "b" },
        ],
      }),
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain(
      'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
    );
  });

  it("limits the total annotation size to 256 KiB", () => {
    const big = { a: "x".repeat(262144) };
    expect(texts(obj({ name: "c", namespace: "default", annotations: big }))).toEqual([
      "metadata.annotations: Too long: must have at most 262144 bytes",
    ]);
    expect(texts(obj({ name: "c", namespace: "default", annotations: { a: "x".repeat(262143) } }))).toEqual([]);
  });

  it("checks annotation keys case-insensitively but reports the original key", () => {
    expect(texts(obj({ name: "c", namespace: "default", annotations: { "Example.COM/Key": "v" } }))).toEqual([]);
    expect(texts(obj({ name: "c", namespace: "default", annotations: { "a/b/c": "v" } }))[0]).toMatch(
      /^metadata\.annotations: Invalid value: "a\/b\/c": a qualified name must consist/,
    );
  });

  it("forbids a namespace on cluster-scoped kinds", () => {
    expect(texts(obj({ name: "n", namespace: "x" }), kind({ namespaced: false }))).toEqual([
      "metadata.namespace: Forbidden: not allowed on this type",
    ]);
  });
});

describe("nameProblems", () => {
  it.each<[Parameters<typeof nameProblems>, number]>([
    [["label", "web"], 0],
    [["label", "a.b"], 1],
    [["subdomain", "a.b"], 0],
    [["subdomain", "web-", true], 0],
    [["subdomain", "web-"], 1],
    [["path-segment", "My Event.1"], 0],
    [["path-segment", ".."], 1],
    [["path-segment", "a/b"], 1],
  ])("%j has %d problems", (args, count) => {
    expect(nameProblems(...args)).toHaveLength(count);
  });
});

describe("validateObjectMetaUpdate", () => {
  const old = obj({
    name: "cfg",
    namespace: "default",
    uid: "u1",
    creationTimestamp: "2026-01-01T00:00:00Z",
    generation: 2,
  });

  it("leaves label and annotation rules to validateObjectMeta", () => {
    expect(validateObjectMetaUpdate(obj({ ...old.metadata, labels: { a: "-bad" } }), old)).toEqual([]);
  });

  it("accepts an unchanged identity", () => {
    expect(validateObjectMetaUpdate(obj({ ...old.metadata, labels: { a: "b" } }), old)).toEqual([]);
  });

  it.each<[string, ObjectMeta, string]>([
    ["name", { name: "other" }, 'metadata.name: Invalid value: "other": field is immutable'],
    ["uid", { uid: "u2" }, 'metadata.uid: Invalid value: "u2": field is immutable'],
    ["namespace", { namespace: "kube-system" }, 'metadata.namespace: Invalid value: "kube-system": field is immutable'],
    ["generation", { generation: 1 }, "metadata.generation: Invalid value: 1: must not be decremented"],
  ])("rejects a changed %s", (_f, change, text) => {
    expect(validateObjectMetaUpdate(obj({ ...old.metadata, ...change }), old).map(fieldErrorText)).toEqual([text]);
  });

  it("forbids new finalizers while deleting", () => {
    const deleting = obj({ ...old.metadata, deletionTimestamp: "2026-01-02T00:00:00Z", finalizers: ["a.io/x"] });
    const next = obj({ ...deleting.metadata, finalizers: ["a.io/x", "b.io/y"] });
    expect(validateObjectMetaUpdate(next, deleting).map(fieldErrorText)).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
  });

  it("prepareObjectMetaForUpdate carries uid and timestamps over", () => {
    const next = obj({ name: "cfg", namespace: "default", generation: 9 });
    prepareObjectMetaForUpdate(next, old);
    expect(next.metadata).toMatchObject({ uid: "u1", creationTimestamp: "2026-01-01T00:00:00Z", generation: 2 });
    expect(validateObjectMetaUpdate(next, old)).toEqual([]);
  });
});
