// Decodes the encoder's output back with the wire reader, by gnostic's OpenAPIv2.proto field numbers
// (written out here, not taken from the encoder), and compares with the JSON it came from.
import { expect, it } from "vitest";
import { encodeOpenApiV2 } from "./openapi-v2.ts";
import { utf8, WireReader, WireType } from "./wire.ts";

type Fields = Map<number, (Uint8Array | bigint)[]>;

function fields(bytes: Uint8Array): Fields {
  const r = new WireReader(bytes);
  const out: Fields = new Map();
  while (!r.done) {
    const { field, wire } = r.readTag();
    const list = out.get(field) ?? [];
    if (wire === WireType.LengthDelimited) list.push(r.readBytes());
    else if (wire === WireType.Varint) list.push(r.readVarint());
    else throw new Error(`unexpected wire type ${wire}`);
    out.set(field, list);
  }
  return out;
}

const str = (f: Fields, n: number) => (f.get(n)?.[0] ? utf8(f.get(n)?.[0] as Uint8Array) : undefined);
const strs = (f: Fields, n: number) => (f.get(n) ?? []).map((b) => utf8(b as Uint8Array));
const msgs = (f: Fields, n: number) => (f.get(n) ?? []).map((b) => fields(b as Uint8Array));
/** openapi_v2.Any: its yaml (field 2), parsed (we write JSON, which is YAML). */
const anyOf = (f: Fields) => JSON.parse(str(f, 2) ?? "null");

// biome-ignore lint/suspicious/noExplicitAny: the rebuilt schema is plain JSON
function schema(f: Fields): Record<string, any> {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const s: Record<string, any> = {};
  if (str(f, 1)) s.$ref = str(f, 1);
  if (str(f, 2)) s.format = str(f, 2);
  if (str(f, 4)) s.description = str(f, 4);
  if (f.has(19)) s.required = strs(f, 19);
  if (f.has(20)) s.enum = msgs(f, 20).map(anyOf);
  const additional = msgs(f, 21)[0];
  if (additional) s.additionalProperties = additional.has(2) ? true : schema(msgs(additional, 1)[0]);
  const type = msgs(f, 22)[0];
  if (type) s.type = strs(type, 1)[0];
  const items = msgs(f, 23)[0];
  if (items) s.items = schema(msgs(items, 1)[0]);
  const props = msgs(f, 25)[0];
  if (props) s.properties = Object.fromEntries(msgs(props, 1).map((n) => [str(n, 1), schema(msgs(n, 2)[0])]));
  for (const ext of msgs(f, 31)) s[str(ext, 1) as string] = anyOf(msgs(ext, 2)[0]);
  return s;
}

const DOC = {
  swagger: "2.0",
  info: { title: "Kubernetes", version: "v1.32.0" },
  paths: {},
  definitions: {
    "io.k8s.api.core.v1.Pod": {
      type: "object",
      description: "A pod — with UTF-8.",
      required: ["spec"],
      properties: {
        spec: { $ref: "#/definitions/io.k8s.api.core.v1.PodSpec", description: "The spec." },
        labels: { type: "object", additionalProperties: { type: "string" } },
        phase: { type: "string", enum: ["Pending", "Running"] },
        ports: { type: "array", items: { type: "integer", format: "int32" }, "x-kubernetes-list-type": "atomic" },
      },
      "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Pod" }],
    },
    "io.k8s.api.core.v1.PodSpec": { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  },
};

it("encodes a Swagger document as openapi_v2.Document, which decodes back to the same JSON", () => {
  const doc = fields(encodeOpenApiV2(DOC));
  expect(str(doc, 1)).toBe("2.0");
  const info = msgs(doc, 2)[0];
  expect([str(info, 1), str(info, 2)]).toEqual(["Kubernetes", "v1.32.0"]);
  expect(msgs(doc, 8)).toHaveLength(1);
  const defs = msgs(msgs(doc, 9)[0], 1);
  const rebuilt = Object.fromEntries(defs.map((n) => [str(n, 1), schema(msgs(n, 2)[0])]));
  expect(rebuilt).toEqual(DOC.definitions);
});

it("writes long strings with multi-byte length prefixes", () => {
  const description = "x".repeat(70_000);
  const doc = fields(encodeOpenApiV2({ swagger: "2.0", definitions: { a: { type: "string", description } } }));
  const a = msgs(msgs(doc, 9)[0], 1)[0];
  expect(schema(msgs(a, 2)[0]).description).toBe(description);
});
