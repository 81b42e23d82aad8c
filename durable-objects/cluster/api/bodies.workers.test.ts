// Request bodies of the wrong shape, from issue 21's hostile run: each is refused with upstream's
// status and wording before defaulting, admission or storage, and leaves the store as it was.
import { beforeAll, describe, expect, it } from "vitest";
import type { StatusError } from "../../../kube/status.ts";
import { checkFields, warningHeaders } from "../writes/field-validation.ts";
import { type ClusterClient, newCluster } from "../testing/cluster-client.ts";
import { storeDump } from "../testing/store-dump.ts";

const CM = "/api/v1/namespaces/default/configmaps";
const DEPLOY = "/apis/apps/v1/namespaces/default/deployments";
const JSON_PATCH = { "content-type": "application/json-patch+json" };
const MERGE = { "content-type": "application/merge-patch+json" };
const SMP = { "content-type": "application/strategic-merge-patch+json" };
const APPLY = { "content-type": "application/apply-patch+yaml" };
const YAML = { "content-type": "application/yaml" };

interface Case {
  name: string;
  method: string;
  path: string;
  body: unknown;
  headers?: Record<string, string>;
  status: number;
  message: string | RegExp;
}

const deployment = (spec: unknown) => ({ metadata: { name: "d" }, spec });
const container = (extra: object) => ({
  metadata: { name: "d" },
  spec: {
    selector: { matchLabels: { a: "b" } },
    template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "x", ...extra }] } },
  },
});

/** A FieldsV1 tree `depth` levels deep, written as text (building it as an object would recurse). */
const deepFields = (depth: number) => `${'{"f:a":'.repeat(depth)}{}${"}".repeat(depth)}`;
const deepManaged = (depth: number) =>
  `{"metadata":{"name":"deep","managedFields":[{"manager":"m","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":${deepFields(depth)}}]}}`;

const cases: Case[] = [
  {
    name: "a list as metadata.name",
    method: "POST",
    path: CM,
    body: { metadata: { name: ["x"] }, data: { a: "b" } },
    status: 400,
    message:
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ObjectMeta.metadata.name of type string',
  },
  {
    name: "a number as a label value",
    method: "POST",
    path: CM,
    body: { metadata: { name: "l", labels: { a: 1 } } },
    status: 400,
    message: /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.labels of type string$/,
  },
  {
    name: "a number as a data value",
    method: "POST",
    path: CM,
    body: { metadata: { name: "v" }, data: { a: 1 } },
    status: 400,
    message: /cannot unmarshal number into Go struct field ConfigMap\.data of type string$/,
  },
  {
    name: "a string as a container's command",
    method: "POST",
    path: DEPLOY,
    body: container({ command: "sh" }),
    status: 400,
    message:
      /cannot unmarshal string into Go struct field Container\.spec\.template\.spec\.containers\.command of type \[\]string$/,
  },
  {
    name: "a string as replicas",
    method: "POST",
    path: DEPLOY,
    body: deployment({ replicas: "3" }),
    status: 400,
    message: /cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/,
  },
  {
    name: "a boolean as a Deployment's spec",
    method: "POST",
    path: DEPLOY,
    body: deployment(true),
    status: 400,
    message:
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field Deployment.spec of type v1.DeploymentSpec',
  },
  {
    name: "a number as an image",
    method: "POST",
    path: DEPLOY,
    body: container({ image: 5 }),
    status: 400,
    message:
      /cannot unmarshal number into Go struct field Container\.spec\.template\.spec\.containers\.image of type string$/,
  },
  {
    name: "an object as containers",
    method: "POST",
    path: DEPLOY,
    body: deployment({ template: { spec: { containers: { name: "c" } } } }),
    status: 400,
    message:
      /cannot unmarshal object into Go struct field PodSpec\.spec\.template\.spec\.containers of type \[\]v1\.Container$/,
  },
  {
    name: "a boolean as a CronJob's spec",
    method: "POST",
    path: "/apis/batch/v1/namespaces/default/cronjobs",
    body: { metadata: { name: "c" }, spec: 7 },
    status: 400,
    message: /cannot unmarshal number into Go struct field CronJob\.spec of type v1\.CronJobSpec$/,
  },
  {
    name: "a wrong type in YAML",
    method: "POST",
    path: CM,
    body: "metadata:\n  name: y\ndata:\n  a: [1]\n",
    headers: YAML,
    status: 400,
    message: /cannot unmarshal array into Go struct field ConfigMap\.data of type string$/,
  },
  {
    name: "a wrong type on update",
    method: "PUT",
    path: `${CM}/seed`,
    body: { metadata: { name: "seed" }, data: { a: {} } },
    status: 400,
    message: /cannot unmarshal object into Go struct field ConfigMap\.data of type string$/,
  },
  {
    name: "a JSON patch making a ConfigMap a Secret",
    method: "PATCH",
    path: `${CM}/seed`,
    body: [{ op: "replace", path: "/kind", value: "Secret" }],
    headers: JSON_PATCH,
    status: 422,
    message: /patch: Invalid value: .*converting \(v1, Kind=Secret\) to \(v1, Kind=ConfigMap\): unknown conversion$/,
  },
  {
    name: "a merge patch to another apiVersion",
    method: "PATCH",
    path: `${CM}/seed`,
    body: { apiVersion: "v9" },
    headers: MERGE,
    status: 422,
    message: /patch: Invalid value: .*no kind "ConfigMap" is registered for version "v9"/,
  },
  {
    name: "a merge patch with a wrong type",
    method: "PATCH",
    path: `${CM}/seed`,
    body: { data: { a: 1 } },
    headers: MERGE,
    status: 422,
    message:
      /patch: Invalid value: .*json: cannot unmarshal number into Go struct field ConfigMap\.data of type string/,
  },
  {
    name: "a strategic merge patch with a wrong type",
    method: "PATCH",
    path: `${CM}/seed`,
    body: { metadata: { labels: { a: [] } } },
    headers: SMP,
    status: 422,
    message: /json: cannot unmarshal array into Go struct field ObjectMeta\.metadata\.labels of type string/,
  },
  {
    name: "a JSON patch adding a wrong type",
    method: "PATCH",
    path: `${CM}/seed`,
    body: [{ op: "add", path: "/metadata/name", value: 5 }],
    headers: JSON_PATCH,
    status: 422,
    message: /json: cannot unmarshal number into Go struct field ObjectMeta\.metadata\.name of type string/,
  },
  {
    name: "an apply configuration with a wrong type",
    method: "PATCH",
    path: `${CM}/seed?fieldManager=fuzz`,
    body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: seed\ndata:\n  a: {b: 1}\n",
    headers: APPLY,
    status: 400,
    message: /cannot unmarshal object into Go struct field ConfigMap\.data of type string$/,
  },
  {
    name: "YAML with a !!binary value",
    method: "POST",
    path: CM,
    body: "metadata:\n  name: bin\ndata:\n  a: !!binary aGVsbG8=\n",
    headers: YAML,
    status: 400,
    message: "yaml: cannot convert a binary value to JSON",
  },
  {
    name: "YAML of an unsupported version",
    method: "POST",
    path: CM,
    body: "%YAML 9.9\n---\nmetadata:\n  name: v99\n",
    headers: YAML,
    status: 400,
    message: /^yaml parse error: Unsupported YAML version 9\.9/,
  },
  {
    name: "YAML holding infinity",
    method: "POST",
    path: "/apis/apps/v1/namespaces/default/deployments",
    body: "metadata:\n  name: inf\nspec:\n  replicas: .inf\n",
    headers: YAML,
    status: 400,
    message: "yaml: unsupported value: Infinity",
  },
  {
    name: "managedFields nested 10,000 deep",
    method: "POST",
    path: CM,
    body: deepManaged(10_000),
    status: 400,
    message: "json parse error: exceeded max depth",
  },
  {
    name: "managedFields nested 500 deep",
    method: "POST",
    path: CM,
    body: deepManaged(500),
    status: 422,
    message:
      /metadata\.managedFields\[0\]\.fieldsV1: Invalid value: "": must be a FieldsV1 object at most 100 levels deep/,
  },
  {
    name: "a strategic merge patch deleting the whole object",
    method: "PATCH",
    path: `${CM}/seed`,
    body: { $patch: "delete" },
    headers: SMP,
    status: 400,
    message: "the name of the object () does not match the name on the URL (seed)",
  },
  {
    name: "a merge patch renaming the object",
    method: "PATCH",
    path: `${CM}/seed`,
    body: { metadata: { name: "other" } },
    headers: MERGE,
    status: 400,
    message: "the name of the object (other) does not match the name on the URL (seed)",
  },
  {
    name: "ephemeral containers on a pod's create",
    method: "POST",
    path: "/api/v1/namespaces/default/pods",
    body: {
      metadata: { name: "eph" },
      spec: {
        containers: [{ name: "c", image: "busybox" }],
        ephemeralContainers: [{ name: "debug", image: "busybox" }],
      },
    },
    status: 422,
    message: 'Pod "eph" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create',
  },
];

describe("bodies of the wrong type (issue 21)", () => {
  let k: ClusterClient;
  beforeAll(async () => {
    k = await newCluster();
    const seeded = await k.request("POST", CM, { metadata: { name: "seed" }, data: { a: "b" } });
    expect(seeded.status).toBe(201);
  });

  it.each(cases)("$name → $status", async ({ method, path, body, headers, status, message }) => {
    const before = await storeDump(k.id);
    const res = await k.request(method, path, body, headers);
    expect(res.status, res.text).toBe(status);
    expect(res.body).toMatchObject({ kind: "Status", apiVersion: "v1", code: status });
    expect(res.body.message).toMatch(message);
    expect(await storeDump(k.id)).toBe(before);
  });

  it("stores an object with a NUL key in metadata without it, and without a broken Warning header", async () => {
    const res = await k.request("POST", CM, '{"metadata":{"name":"nul","\\u0000":1}}');
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get("warning")).toBeNull(); // upstream drops warnings it cannot send as a header
    const stored = await k.request("GET", `${CM}/nul`);
    expect(Object.keys(stored.body.metadata)).not.toContain("\u0000");
  });

  it("answers a very long query that reaches the Worker with a Status", async () => {
    // (Past the runtime's own request-line limit workerd answers 431 itself, before any Worker code.)
    const res = await k.request("GET", `${CM}?labelSelector=${"a".repeat(100_000)}=b`);
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatchObject({ kind: "Status", apiVersion: "v1", code: 400 });
  });

  it("sends warnings about keys outside ASCII as UTF-8", async () => {
    const res = await k.request("POST", CM, { metadata: { name: "utf", "schlüssel-日本": 1 } });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get("warning")).toBe('299 - "unknown field \\"metadata.schlüssel-日本\\""');
  });
});

describe("checkFields and warningHeaders", () => {
  const CONFIGMAP = "io.k8s.api.core.v1.ConfigMap";
  const status = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return (err as StatusError).code;
    }
    return undefined;
  };

  it("refuses a patch for a type error it makes, not for one the stored object already held", () => {
    const stored = { metadata: { name: "a", labels: { n: 5 } } };
    const patched = { metadata: { name: "a", labels: { n: 5, m: "x" } } };
    expect(
      status(() => checkFields("Strict", CONFIGMAP, structuredClone(patched), "{}", { patch: true, original: stored })),
    ).toBeUndefined();
    const broken = { metadata: { name: 7, labels: { n: 5 } } };
    expect(status(() => checkFields("Strict", CONFIGMAP, broken, "{}", { patch: true, original: stored }))).toBe(422);
  });

  it("writes each warning once, drops those a header cannot carry, and cuts them past 4096 characters", () => {
    expect(warningHeaders(["a", "a", "b\u0000", "c\r\nd", "é"])).toEqual(['299 - "a"', '299 - "é"']);
    const long = Array.from({ length: 20 }, (_, i) => `${i}${"x".repeat(400)}`);
    const headers = warningHeaders(long);
    expect(headers.every((h) => h.length <= 256 + 8)).toBe(true);
    expect(headers.reduce((n, h) => n + h.length - 8, 0)).toBeLessThanOrEqual(4096);
  });
});
