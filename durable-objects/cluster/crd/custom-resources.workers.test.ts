// CustomResourceDefinitions and their custom resources through the real Worker into a real cluster
// object: establishing, schema validation with upstream's 422s, defaults, pruning, versions,
// subresources, tables, discovery and deletion of a CRD with its resources.
import { describe, expect, it } from "vitest";
import { type ClusterClient, newCluster } from "../testing/cluster-client.ts";
import { widgetCrd } from "./testing.ts";

const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const WIDGETS = "/apis/example.com/v1/namespaces/default/widgets";
const TABLE = { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" };

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function established(c: ClusterClient): Promise<void> {
  const res = await c.request("POST", CRDS, widgetCrd());
  expect(res.status, res.text).toBe(201);
  await until(
    () => c.request("GET", `${CRDS}/widgets.example.com`),
    (r) =>
      r.body.status?.conditions?.some(
        (x: { type: string; status: string }) => x.type === "Established" && x.status === "True",
      ),
    "Established",
  );
}

const widget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name },
  spec,
});

describe("CustomResourceDefinition", () => {
  it("refuses an invalid CRD with upstream's messages", async () => {
    const c = await newCluster();
    const bad = widgetCrd();
    bad.metadata.name = "gadgets.example.com";
    bad.spec.versions[1].storage = true;
    const res = await c.request("POST", CRDS, bad);
    expect(res.status).toBe(422);
    expect(res.body.message).toContain(
      'metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group',
    );
    expect(res.body.message).toContain("must have exactly one version marked as storage version");
  });

  it("refuses a schema field without a type, and a pattern RE2 refuses", async () => {
    const c = await newCluster();
    const bad = widgetCrd();
    const props = bad.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties as Record<string, unknown>;
    props.untyped = { description: "no type" };
    props.look = { type: "string", pattern: "(?=a)b" };
    const res = await c.request("POST", CRDS, bad);
    expect(res.status).toBe(422);
    expect(res.body.message).toContain(
      "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[untyped].type: Required value: must not be empty for specified object fields",
    );
    expect(res.body.message).toContain("invalid or unsupported Perl syntax");
  });

  it("is Established, then serves its kind with defaults, columns and discovery", async () => {
    const c = await newCluster();
    await established(c);
    const crd = (await c.request("GET", `${CRDS}/widgets.example.com`)).body;
    expect(crd.status.acceptedNames.kind).toBe("Widget");
    expect(crd.status.storedVersions).toEqual(["v1"]);
    expect(crd.metadata.finalizers).toEqual(["customresourcecleanup.apiextensions.k8s.io"]);

    const created = await c.request("POST", WIDGETS, widget("w1", { image: "nginx", colour: "red" }));
    expect(created.status, created.text).toBe(201);
    expect(created.body.spec).toEqual({ image: "nginx", size: "small", replicas: 1 });
    expect(created.headers.get("warning")).toContain('unknown field \\"spec.colour\\"');

    const table = await c.request("GET", WIDGETS, undefined, TABLE);
    expect(table.body.columnDefinitions.map((d: { name: string }) => d.name)).toEqual([
      "Name",
      "Size",
      "Replicas",
      "Image",
      "Age",
    ]);
    expect(table.body.columnDefinitions[3].priority).toBe(1);
    expect(table.body.rows[0].cells.slice(0, 3)).toEqual(["w1", "small", 1]);

    const list = await c.request("GET", "/apis/example.com/v1");
    expect(list.body.resources.map((r: { name: string }) => r.name).sort()).toEqual([
      "widgets",
      "widgets/scale",
      "widgets/status",
    ]);
    const openapi = await c.request("GET", "/openapi/v3/apis/example.com/v1");
    expect(openapi.body.components.schemas["com.example.v1.Widget"].properties.spec.properties.size.enum).toEqual([
      "small",
      "large",
    ]);
  });

  it("refuses a missing required field, a value outside the enum and strict unknown fields; nothing is stored", async () => {
    const c = await newCluster();
    await established(c);
    const missing = await c.request("POST", WIDGETS, widget("w1", { size: "small" }));
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe('Widget.example.com "w1" is invalid: spec.image: Required value');
    const huge = await c.request("POST", WIDGETS, widget("w1", { image: "nginx", size: "huge" }));
    expect(huge.status).toBe(422);
    expect(huge.body.message).toContain('spec.size: Unsupported value: "huge": supported values: "small", "large"');
    const wrongType = await c.request("POST", WIDGETS, widget("w1", { image: "nginx", replicas: "two" }));
    expect(wrongType.body.message).toContain(
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    );
    const strict = await c.request(
      "POST",
      `${WIDGETS}?fieldValidation=Strict`,
      widget("w1", { image: "nginx", colour: "red" }),
    );
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('unknown field "spec.colour"');
    expect((await c.request("GET", WIDGETS)).body.items).toEqual([]);
  });

  it("serves v2 from v1's objects, status and scale subresources, and warns of the deprecated version", async () => {
    const c = await newCluster();
    await established(c);
    await c.request("POST", WIDGETS, widget("w1", { image: "nginx" }));
    const v2 = await c.request("GET", "/apis/example.com/v2/namespaces/default/widgets/w1");
    expect(v2.body.apiVersion).toBe("example.com/v2");
    expect(v2.headers.get("warning")).toContain("example.com/v2 Widget is deprecated");
    const status = await c.request(
      "PATCH",
      `${WIDGETS}/w1/status`,
      { status: { replicas: 3 }, spec: { image: "ignored" } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(status.status, status.text).toBe(200);
    expect(status.body.status.replicas).toBe(3);
    expect(status.body.spec.image).toBe("nginx");
    const scaled = await c.request(
      "PATCH",
      `${WIDGETS}/w1/scale`,
      { spec: { replicas: 5 } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(scaled.status, scaled.text).toBe(200);
    expect(scaled.body).toMatchObject({ kind: "Scale", spec: { replicas: 5 }, status: { replicas: 3 } });
    expect((await c.request("GET", `${WIDGETS}/w1`)).body.spec.replicas).toBe(5);
    const smp = await c.request(
      "PATCH",
      `${WIDGETS}/w1`,
      { spec: {} },
      { "content-type": "application/strategic-merge-patch+json" },
    );
    expect(smp.status).toBe(415);
  });

  it("deleting the CRD deletes its resources; a finalizer holds it Terminating until removed", async () => {
    const c = await newCluster();
    await established(c);
    await c.request("POST", WIDGETS, widget("free", { image: "nginx" }));
    const held = await c.request("POST", WIDGETS, {
      ...widget("held", { image: "nginx" }),
      metadata: { name: "held", finalizers: ["example.com/hold"] },
    });
    expect(held.status, held.text).toBe(201);
    expect((await c.request("DELETE", `${CRDS}/widgets.example.com`)).status).toBe(200);
    const terminating = await until(
      () => c.request("GET", `${CRDS}/widgets.example.com`),
      (r) =>
        r.body.status?.conditions?.some(
          (x: { type: string; status: string }) => x.type === "Terminating" && x.status === "True",
        ) && r.body.status.conditions !== undefined,
      "Terminating",
    );
    expect(terminating.status).toBe(200);
    await until(
      () => c.request("GET", `${WIDGETS}/free`),
      (r) => r.status === 404,
      "free widget gone",
    );
    const creating = await c.request("POST", WIDGETS, widget("late", { image: "nginx" }));
    expect(creating.status).toBe(405);
    const h = (await c.request("GET", `${WIDGETS}/held`)).body;
    const released = await c.request("PUT", `${WIDGETS}/held`, { ...h, metadata: { ...h.metadata, finalizers: [] } });
    expect(released.status, released.text).toBe(200);
    await until(
      () => c.request("GET", `${CRDS}/widgets.example.com`),
      (r) => r.status === 404,
      "CRD gone",
    );
    expect((await c.request("GET", WIDGETS)).status).toBe(404);
  });
});

describe("a CRD naming a built-in resource", () => {
  it("is not Established, and deleting it leaves the built-in objects alone", async () => {
    const c = await newCluster();
    const role = { metadata: { name: "keep" }, rules: [] };
    expect((await c.request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", role)).status).toBe(
      201,
    );
    const crd = widgetCrd();
    crd.metadata.name = "roles.rbac.authorization.k8s.io";
    crd.spec.group = "rbac.authorization.k8s.io";
    crd.spec.names = { plural: "roles", singular: "role", kind: "Role", shortNames: [], categories: [] };
    expect((await c.request("POST", CRDS, crd)).status).toBe(201);
    const conflicted = await until(
      () => c.request("GET", `${CRDS}/roles.rbac.authorization.k8s.io`),
      (r) => r.body.status?.conditions?.some((x: { reason: string }) => x.reason === "PluralConflict"),
      "PluralConflict",
    );
    expect(conflicted.body.status.conditions.some((x: { type: string }) => x.type === "Established")).toBe(false);
    await c.request("DELETE", `${CRDS}/roles.rbac.authorization.k8s.io`);
    await until(
      () => c.request("GET", `${CRDS}/roles.rbac.authorization.k8s.io`),
      (r) => r.status === 404,
      "CRD gone",
    );
    expect((await c.request("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/keep")).status).toBe(
      200,
    );
  });
});
