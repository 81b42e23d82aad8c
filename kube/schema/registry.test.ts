import { describe, expect, it } from "vitest";
import type { Schema } from "./dsl.ts";
import { danglingRefs } from "./openapi.ts";
import { definitionNameFor, definitionNamesForKind, definitions } from "./registry.ts";

/** Every property of every object definition, with its path for messages. */
function fields(): [string, Schema][] {
  const out: [string, Schema][] = [];
  for (const [name, def] of Object.entries(definitions))
    if (def.kind === "object") for (const [f, s] of Object.entries(def.properties)) out.push([`${name}.${f}`, s]);
  return out;
}

describe("schema registry", () => {
  it("has no references to missing definitions", () => {
    expect(danglingRefs(definitions)).toEqual([]);
  });

  it("documents every definition and every field", () => {
    const undocumented = [
      ...Object.entries(definitions).filter(([, d]) => !d.description?.trim()),
      ...fields().filter(([, s]) => !s.description?.trim()),
    ].map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it("gives list merge keys that exist in the element type", () => {
    const bad: string[] = [];
    for (const [path, s] of fields()) {
      if (s.kind !== "array" || !s.patchMergeKey || s.items.kind !== "ref") continue;
      const item = definitions[s.items.name];
      if (item.kind === "object" && !item.properties[s.patchMergeKey] && !item.preserveUnknown) bad.push(path);
    }
    expect(bad).toEqual([]);
  });

  it.each([
    [{ group: "", version: "v1", kind: "Pod" }, "io.k8s.api.core.v1.Pod"],
    [{ group: "apps", version: "v1", kind: "Deployment" }, "io.k8s.api.apps.v1.Deployment"],
    [{ group: "events.k8s.io", version: "v1", kind: "Event" }, "io.k8s.api.events.v1.Event"],
    [{ group: "coordination.k8s.io", version: "v1", kind: "Lease" }, "io.k8s.api.coordination.v1.Lease"],
    [{ group: "autoscaling", version: "v1", kind: "Scale" }, "io.k8s.api.autoscaling.v1.Scale"],
  ])("finds %j as %s", (gvk, name) => {
    expect(definitionNameFor(gvk)).toBe(name);
  });

  it("finds kinds by name across groups", () => {
    expect(definitionNamesForKind("Event").sort()).toEqual(["io.k8s.api.core.v1.Event", "io.k8s.api.events.v1.Event"]);
    expect(definitionNamesForKind("Widget")).toEqual([]);
  });
});
