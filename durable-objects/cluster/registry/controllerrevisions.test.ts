import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { controllerName, controllerRevisions } from "./controllerrevisions.ts";

function make(fields: LooseObject, meta: LooseObject = {}): KubeObject {
  const o = { apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: "web-5d8f", ...meta }, ...fields };
  controllerRevisions.defaults?.(o);
  return o;
}

const texts = (o: KubeObject) => (controllerRevisions.validate?.(o) ?? []).map(fieldErrorText);
const cell = (o: KubeObject, name: string) =>
  controllerRevisions.columns.find((c) => c.name === name)?.cell(o, { now: Date.now() });

describe("ControllerRevision validation", () => {
  it.each([
    ["valid", { data: { spec: {} }, revision: 3 }, []],
    ["revision 0", { data: {}, revision: 0 }, []],
    ["absent revision reads as 0", { data: {} }, []],
    ["no data", { revision: 1 }, ["data: Required value: data is mandatory"]],
    ["null data", { data: null, revision: 1 }, ["data: Required value: data is mandatory"]],
    [
      "negative revision",
      { data: {}, revision: -1 },
      ["revision: Invalid value: -1: must be greater than or equal to 0"],
    ],
    ["fractional revision", { data: {}, revision: 1.5 }, ["revision: Invalid value: 1.5: must be an integer"]],
  ])("%s", (_name, fields, want) => {
    expect(texts(make(fields))).toEqual(want);
  });

  it("defaults an absent revision to 0", () => {
    expect((make({ data: {} }) as LooseObject).revision).toBe(0);
  });

  it.each([
    ["same data, new labels", { data: { a: 1 }, revision: 1 }, { data: { a: 1 }, revision: 2 }, []],
    ["changed data", { data: { a: 1 }, revision: 1 }, { data: { a: 2 }, revision: 1 }, ["data"]],
  ])("update: %s", (_name, before, after, fields) => {
    const errs = controllerRevisions.validateUpdate?.(make(after, { labels: { x: "y" } }), make(before)) ?? [];
    expect(errs.map((e) => e.field)).toEqual(fields);
    for (const e of errs) expect(e.detail).toBe("field is immutable");
  });
});

describe("ControllerRevision columns", () => {
  const ref = (apiVersion: string, kind: string, controller = true) => ({
    ownerReferences: [{ apiVersion, kind, name: "web", uid: "u1", controller }],
  });

  it("has upstream's column names", () => {
    expect(controllerRevisions.columns.map((c) => c.name)).toEqual(["Controller", "Revision", "Age"]);
  });

  it.each([
    ["daemon set", ref("apps/v1", "DaemonSet"), "daemonset.apps/web"],
    ["stateful set", ref("apps/v1", "StatefulSet"), "statefulset.apps/web"],
    ["core group", ref("v1", "Pod"), "pod/web"],
    ["not a controller", ref("apps/v1", "DaemonSet", false), "<none>"],
    ["no owner", {}, "<none>"],
  ])("CONTROLLER of a %s", (_name, meta, want) => {
    expect(controllerName(make({ data: {} }, meta))).toBe(want);
  });

  it("REVISION shows the number", () => {
    expect(cell(make({ data: {}, revision: 7 }), "Revision")).toBe(7);
  });
});
