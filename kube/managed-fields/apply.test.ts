import { describe, expect, it } from "vitest";
import { StatusError } from "../status.ts";
import type { KubeObject } from "../types.ts";
import { applyConfiguration } from "./apply.ts";
import { FieldSet } from "./field-set.ts";
import { readEntries } from "./entries.ts";
import { fieldSetOf } from "./fields-of.ts";
import { recordUpdate } from "./record-update.ts";
import { patchSchemaForKind } from "../patch/merge-keys.ts";

const now = Date.parse("2026-11-24T12:00:00Z");
const opts = (manager: string, force = false) => ({ manager, force, apiVersion: "apps/v1", now });

function deployment(spec: Record<string, unknown>, labels: Record<string, string> = { app: "web" }): KubeObject {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default", labels }, spec };
}

const template = (containers: unknown[]) => ({
  metadata: { labels: { app: "web" } },
  spec: { containers },
});

const owned = (obj: KubeObject, manager: string) =>
  [
    ...(readEntries(obj.metadata.managedFields)
      .find((e) => e.manager === manager)
      ?.fields.paths() ?? []),
  ].map((p) => p.join(" "));

describe("fieldSetOf", () => {
  it("lists keyed list items with their key and marker, sets by value, atomic lists whole", () => {
    const obj = deployment({
      replicas: 2,
      template: template([{ name: "web", image: "nginx", args: ["a", "b"], ports: [{ containerPort: 80 }] }]),
    });
    obj.metadata.finalizers = ["x/y"];
    const fields = fieldSetOf(obj as never, patchSchemaForKind("Deployment")).toFieldsV1();
    expect(fields).toEqual({
      "f:metadata": { "f:finalizers": { 'v:"x/y"': {} }, "f:labels": { "f:app": {} } },
      "f:spec": {
        "f:replicas": {},
        "f:template": {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:containers": {
              'k:{"name":"web"}': {
                ".": {},
                "f:args": {},
                "f:image": {},
                "f:name": {},
                "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
              },
            },
          },
        },
      },
    });
    expect(FieldSet.fromFieldsV1(fields).toFieldsV1()).toEqual(fields);
  });
});

describe("applyConfiguration", () => {
  const v1 = deployment(
    { replicas: 2, template: template([{ name: "web", image: "nginx:1", ports: [{ containerPort: 80 }] }]) },
    {
      app: "web",
      tier: "front",
    },
  );

  it("creates with one Apply entry owning exactly the applied fields", () => {
    const created = applyConfiguration(undefined, structuredClone(v1), opts("kubectl"));
    expect(created.metadata.managedFields).toHaveLength(1);
    expect(created.metadata.managedFields![0]).toMatchObject({
      manager: "kubectl",
      operation: "Apply",
      fieldsType: "FieldsV1",
    });
    expect(owned(created, "kubectl")).toContain("f:spec f:replicas");
  });

  it("removes what the applier stopped sending and keeps what others own", () => {
    const created = applyConfiguration(undefined, structuredClone(v1), opts("kubectl"));
    const edited = recordUpdate(
      created,
      { ...structuredClone(created), spec: { ...created.spec, paused: true } },
      {
        manager: "kubectl-edit",
        apiVersion: "apps/v1",
        now,
      },
    );
    const live = {
      ...structuredClone(created),
      spec: { ...created.spec, paused: true },
      metadata: { ...created.metadata, managedFields: edited },
    } as KubeObject;
    const v2 = deployment({ template: template([{ name: "web", image: "nginx:2" }]) }, { app: "web" });
    const next = applyConfiguration(live, v2, opts("kubectl"));
    expect(next.metadata.labels).toEqual({ app: "web" });
    expect(next.spec.replicas).toBeUndefined();
    expect(next.spec.paused).toBe(true);
    expect(next.spec.template.spec.containers).toEqual([{ name: "web", image: "nginx:2" }]);
  });

  it("refuses to change a field another manager owns, and takes it with force", () => {
    const created = applyConfiguration(undefined, structuredClone(v1), opts("alice"));
    const bob = deployment({ replicas: 5 });
    let error: unknown;
    try {
      applyConfiguration(created, structuredClone(bob), opts("bob"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(409);
    expect((error as StatusError).message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    const forced = applyConfiguration(created, structuredClone(bob), opts("bob", true));
    expect(forced.spec.replicas).toBe(5);
    expect(owned(forced, "bob")).toContain("f:spec f:replicas");
    expect(owned(forced, "alice")).not.toContain("f:spec f:replicas");
    expect(forced.spec.template.spec.containers[0].image).toBe("nginx:1");
  });

  it("names Update managers with their apiVersion and groups several conflicts by manager", () => {
    const created = applyConfiguration(undefined, structuredClone(v1), opts("alice"));
    const edited = structuredClone(created);
    edited.spec.paused = true;
    edited.metadata.managedFields = recordUpdate(created, edited, {
      manager: "kubectl-edit",
      apiVersion: "apps/v1",
      now,
    }) as never;
    const bob = deployment({ replicas: 5, paused: false });
    expect(() => applyConfiguration(edited, bob, opts("bob"))).toThrow(
      'Apply failed with 2 conflicts: conflicts with "alice":\n- .spec.replicas\nconflicts with "kubectl-edit" using apps/v1:\n- .spec.paused',
    );
  });

  it("keeps the entry's time when an apply changes nothing", () => {
    const created = applyConfiguration(undefined, structuredClone(v1), opts("alice"));
    const again = applyConfiguration(created, structuredClone(v1), { ...opts("alice"), now: now + 60_000 });
    expect(again.metadata.managedFields).toEqual(created.metadata.managedFields);
  });

  it("shares a field without conflict when both managers apply the same value", () => {
    const created = applyConfiguration(undefined, structuredClone(v1), opts("alice"));
    const same = applyConfiguration(created, deployment({ replicas: 2 }), opts("bob"));
    expect(owned(same, "alice")).toContain("f:spec f:replicas");
    expect(owned(same, "bob")).toContain("f:spec f:replicas");
  });
});

describe("recordUpdate", () => {
  it("moves changed fields to the updater and drops removed ones from everyone", () => {
    const created = applyConfiguration(undefined, deployment({ replicas: 2, paused: false }), opts("kubectl"));
    const next = structuredClone(created);
    next.spec.replicas = 3;
    delete next.spec.paused;
    next.metadata.managedFields = recordUpdate(created, next, {
      manager: "kubectl-scale",
      apiVersion: "apps/v1",
      now,
    }) as never;
    expect(owned(next, "kubectl-scale")).toEqual(["f:spec f:replicas"]);
    expect(owned(next, "kubectl")).not.toContain("f:spec f:replicas");
    expect(owned(next, "kubectl")).not.toContain("f:spec f:paused");
  });

  it("keeps managedFields a request changed itself", () => {
    const created = applyConfiguration(undefined, deployment({ replicas: 2 }), opts("kubectl"));
    const next = structuredClone(created);
    next.metadata.managedFields = [];
    expect(recordUpdate(created, next, { manager: "x", apiVersion: "apps/v1", now })).toEqual([]);
  });
});
