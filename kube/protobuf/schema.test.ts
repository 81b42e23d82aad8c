import { describe, expect, it } from "vitest";
import { KIND_MESSAGES, MESSAGES } from "./messages.ts";
import { type FieldType, mergeTables, parseMessages } from "./schema.ts";
import { SPECIAL_MESSAGES } from "./special.ts";

describe("parseMessages", () => {
  it("reads names, numbers, types and modifiers", () => {
    const t = parseMessages(`
# comment
Spec
  1 replicas int32?
  2 containers Container[]
  3 handler ProbeHandler...
  4 limits map<Quantity>
  5 data map<bytes>
  6 port int32!
`);
    expect(t).toEqual({
      Spec: {
        1: { name: "replicas", type: "int32", pointer: true },
        2: { name: "containers", type: "message:Container", repeated: true },
        3: { name: "handler", type: "message:ProbeHandler", inline: true },
        4: { name: "limits", type: "map:message:Quantity" },
        5: { name: "data", type: "map:bytes" },
        6: { name: "port", type: "int32", always: true },
      },
    });
  });

  it.each([
    { text: "  1 a string", error: /field outside a message/ },
    { text: "M\n  x a string", error: /bad field line/ },
    { text: "M\n  1 a float", error: /bad type "float"/ },
    { text: "M\n  1 a string\n  1 b string", error: /field 1 defined twice/ },
    { text: "M\nM", error: /bad message name "M"/ },
    { text: "lower", error: /bad message name/ },
  ])("refuses $text", ({ text, error }) => {
    expect(() => parseMessages(text)).toThrow(error);
  });

  it("refuses merging a message twice", () => {
    expect(() => mergeTables(parseMessages("A"), parseMessages("A"))).toThrow(/message A defined twice/);
  });
});

describe("the descriptor tables", () => {
  const known = (name: string) => name in MESSAGES || name in SPECIAL_MESSAGES;
  const referenced = (type: FieldType): string | undefined => {
    const inner = type.startsWith("map:") ? type.slice(4) : type;
    return inner.startsWith("message:") ? inner.slice(8) : undefined;
  };

  it("define every message they refer to", () => {
    const missing: string[] = [];
    for (const [name, fields] of Object.entries(MESSAGES))
      for (const f of Object.values(fields)) {
        const ref = referenced(f.type);
        if (ref && !known(ref)) missing.push(`${name}.${f.name} → ${ref}`);
      }
    expect(missing).toEqual([]);
  });

  it("map every kind to a defined message", () => {
    for (const kinds of Object.values(KIND_MESSAGES))
      for (const message of Object.values(kinds)) expect(MESSAGES[message], message).toBeDefined();
  });

  it("carry the field numbers of generated.proto", () => {
    expect(MESSAGES.DeploymentSpec[1]).toEqual({ name: "replicas", type: "int32", pointer: true });
    expect(MESSAGES.ObjectMeta[17]).toEqual({
      name: "managedFields",
      type: "message:ManagedFieldsEntry",
      repeated: true,
    });
    expect(MESSAGES.Container[8]).toEqual({ name: "resources", type: "message:ResourceRequirements" });
    expect(MESSAGES.Volume[2]).toEqual({ name: "volumeSource", type: "message:VolumeSource", inline: true });
    expect(MESSAGES.Secret[2]).toEqual({ name: "data", type: "map:bytes" });
    // Schedule string `json:"schedule"`: no omitempty.
    expect(MESSAGES.CronJobSpec[1]).toEqual({ name: "schedule", type: "string", always: true });
    expect(MESSAGES.PriorityClass[2]).toEqual({ name: "value", type: "int32", always: true });
  });
});
