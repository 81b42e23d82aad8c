// Pure code, run in workerd because the unit config covers only kube/ and registry/.
import { describe, expect, it } from "vitest";
import { definitionNameFor } from "../../../kube/schema/registry.ts";
import { StatusError } from "../../../kube/status.ts";
import { allKinds, kindIndex } from "../registry/index.ts";
import {
  checkFields,
  duplicateFields,
  parseFieldValidation,
  unknownFields,
  warningHeaderValue,
} from "../writes/field-validation.ts";
import { definitionName } from "../registry/definition-name.ts";
import { groupVersionDocument, openApiRoot } from "./openapi.ts";

const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";
const deployment = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", imagee: "nginx" }] } },
  },
});
const raw = (o: unknown) => JSON.stringify(o);

function thrown(f: () => unknown): StatusError {
  try {
    f();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

describe("every served kind has a schema", () => {
  it.each(allKinds.map((k) => [`${k.group || "core"}/${k.version}/${k.kind}`, k] as const))("%s", (_n, k) => {
    const name = definitionNameFor({ group: k.group, version: k.version, kind: k.kind });
    expect(name).toBe(definitionName(k));
  });
});

describe("group version documents", () => {
  const gvs = kindIndex.groupVersions();

  it.each(gvs.map((gv) => [`${gv.group || "core"}/${gv.version}`, gv] as const))("%s is self-contained", (_n, gv) => {
    const doc = groupVersionDocument(kindIndex, gv.group, gv.version);
    const text = JSON.stringify(doc);
    const schemas = doc?.components.schemas ?? {};
    const refs = [...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.filter((r) => !Object.hasOwn(schemas, r))).toEqual([]);
    for (const k of kindIndex.inGroupVersion(gv.group, gv.version)) {
      const s = schemas[definitionName(k)] as Record<string, unknown>;
      expect(s["x-kubernetes-group-version-kind"]).toEqual([{ group: k.group, version: k.version, kind: k.kind }]);
      expect(Object.keys(s.properties as object).slice(0, 3)).toEqual(["apiVersion", "kind", "metadata"]);
    }
  });

  it("lists fieldValidation on PATCH, which makes kubectl leave validation to the server", () => {
    const doc = groupVersionDocument(kindIndex, "apps", "v1") as { paths: Record<string, Record<string, unknown>> };
    const patch = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch as {
      parameters: { name: string }[];
    };
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain("fieldValidation");
  });

  it("documents rollingUpdate's fields", () => {
    const doc = groupVersionDocument(kindIndex, "apps", "v1");
    const ru = doc?.components.schemas["io.k8s.api.apps.v1.RollingUpdateDeployment"] as { properties: object };
    expect(Object.keys(ru.properties).sort()).toEqual(["maxSurge", "maxUnavailable"]);
  });

  it("names each document by a hash of its content", () => {
    const root = openApiRoot(kindIndex);
    expect(root.paths["apis/apps/v1"].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{8}$/);
    expect(root.paths["api/v1"].serverRelativeURL).not.toBe(root.paths["apis/apps/v1"].serverRelativeURL);
  });
});

describe("field validation", () => {
  it("finds unknown and duplicate fields", () => {
    expect(unknownFields(DEPLOYMENT, deployment())).toEqual(["spec.template.spec.containers[0].imagee"]);
    expect(unknownFields("io.k8s.api.example.v1.Unknown", { a: 1 })).toEqual([]);
    expect(duplicateFields('{"metadata":{"name":"a","name":"b"}}')).toEqual(["metadata.name"]);
  });

  it("Strict rejects with upstream's strict decoding error", () => {
    const body = raw(deployment()).replace('"metadata":{', '"metadata":{"name":"x",');
    const err = thrown(() => checkFields("Strict", DEPLOYMENT, deployment(), body));
    expect([err.code, err.reason]).toEqual([400, "BadRequest"]);
    expect(err.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: duplicate field "metadata.name", unknown field "spec.template.spec.containers[0].imagee"',
    );
  });

  it("Strict on a patch answers 422 on the field patch", () => {
    const err = thrown(() => checkFields("Strict", DEPLOYMENT, { spec: { replica: 1 } }, "{}", { patch: true }));
    expect(err.code).toBe(422);
    expect(err.message).toBe(
      ' "" is invalid: patch: Invalid value: "{\\"spec\\":{\\"replica\\":1}}": strict decoding error: unknown field "spec.replica"',
    );
  });

  it.each(["Warn", ""] as const)("%j warns and prunes", (mode) => {
    const obj = deployment();
    expect(checkFields(mode, DEPLOYMENT, obj, raw(obj))).toEqual({
      warnings: ['unknown field "spec.template.spec.containers[0].imagee"'],
    });
    expect(obj.spec.template.spec.containers[0]).toEqual({ name: "web" });
  });

  it("Ignore prunes silently; valid objects pass untouched in every mode", () => {
    const obj = deployment();
    expect(checkFields("Ignore", DEPLOYMENT, obj, raw(obj))).toEqual({ warnings: [] });
    expect(obj.spec.template.spec.containers[0]).toEqual({ name: "web" });
    for (const mode of ["Strict", "Warn", "Ignore", ""] as const)
      expect(checkFields(mode, DEPLOYMENT, obj, raw(obj))).toEqual({ warnings: [] });
  });

  it("checks the query value as upstream does", () => {
    expect(parseFieldValidation(null, "CreateOptions")).toBe("");
    expect(parseFieldValidation("Strict", "CreateOptions")).toBe("Strict");
    const err = thrown(() => parseFieldValidation("strict", "CreateOptions"));
    expect([err.code, err.message]).toEqual([
      422,
      'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
    ]);
  });

  it("quotes warning header values", () => {
    expect(warningHeaderValue('unknown field "a\\b"')).toBe('299 - "unknown field \\"a\\\\b\\""');
  });
});
