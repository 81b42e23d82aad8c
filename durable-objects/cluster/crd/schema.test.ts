// Schema semantics of custom resources: upstream's messages for each check, pruning, defaults, and
// patterns that cannot backtrack.
import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { JSONSchemaProps } from "../../../kube/schema/json-schema.ts";
import { compiledPattern, patternProblem } from "./schema-patterns.ts";
import { applyDefaults, unknownFields } from "./schema-prune.ts";
import { validateValue } from "./schema-validate.ts";

const spec: JSONSchemaProps = {
  type: "object",
  required: ["image"],
  properties: {
    image: { type: "string", minLength: 1, maxLength: 8, pattern: "^[a-z]+$" },
    size: { type: "string", enum: ["small", "large"], default: "small" },
    replicas: { type: "integer", minimum: 1, maximum: 10 },
    when: { type: "string", format: "date-time" },
    tags: { type: "array", maxItems: 2, items: { type: "string" } },
    port: { "x-kubernetes-int-or-string": true },
    note: { type: "string", nullable: true },
    labels: { type: "object", additionalProperties: { type: "string" } },
    free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  },
};

const errors = (value: unknown) => validateValue(spec, value, "spec").map(fieldErrorText);

describe("validateValue", () => {
  it("accepts a valid value", () => {
    expect(errors({ image: "nginx", size: "large", replicas: 3, port: "http", note: null, tags: ["a"] })).toEqual([]);
  });

  it("gives upstream's messages", () => {
    expect(errors({})).toEqual(["spec.image: Required value"]);
    expect(errors({ image: "nginx", size: "huge" })).toEqual([
      'spec.size: Unsupported value: "huge": supported values: "small", "large"',
    ]);
    expect(errors({ image: "nginx", replicas: "2" })).toEqual([
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    expect(errors({ image: "nginx", replicas: 0 })).toEqual([
      "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
    ]);
    expect(errors({ image: "nginx", replicas: 11 })).toEqual([
      "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
    ]);
    expect(errors({ image: "Nginx" })).toEqual([
      `spec.image: Invalid value: "Nginx": spec.image in body should match '^[a-z]+$'`,
    ]);
    expect(errors({ image: "abcdefghi" })).toEqual(["spec.image: Too long: may not be more than 8 bytes"]);
    expect(errors({ image: "a", tags: ["a", "b", "c"] })).toEqual([
      "spec.tags: Too many: 3: must have at most 2 items",
    ]);
    expect(errors({ image: "a", when: "yesterday" })).toEqual([
      'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    ]);
    expect(errors({ image: "a", port: 1.5 })).toHaveLength(1);
    expect(errors({ image: "a", labels: { x: 1 } })).toEqual([
      'spec.labels.x: Invalid value: "integer": spec.labels.x in body must be of type string: "integer"',
    ]);
  });
});

describe("pruning and defaults", () => {
  it("names and prunes unknown fields, keeping preserved and additional ones", () => {
    const obj = {
      apiVersion: "x/v1",
      kind: "X",
      metadata: { name: "a" },
      spec: { image: "a", colour: "red", free: { any: 1 }, labels: { k: "v" } },
      extra: 1,
    };
    const root: JSONSchemaProps = { type: "object", properties: { spec } };
    expect(unknownFields(root, structuredClone(obj), false)).toEqual(["spec.colour", "extra"]);
    unknownFields(root, obj, true);
    expect(obj).toEqual({
      apiVersion: "x/v1",
      kind: "X",
      metadata: { name: "a" },
      spec: { image: "a", free: { any: 1 }, labels: { k: "v" } },
    });
  });

  it("keeps the metadata of a schema that lists it as a bare object, as every generated CRD does", () => {
    const obj = { apiVersion: "x/v1", kind: "X", metadata: { name: "a", labels: { k: "v" } }, spec: { image: "a" } };
    const root: JSONSchemaProps = {
      type: "object",
      properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, spec },
    };
    expect(unknownFields(root, obj, true)).toEqual([]);
    expect(obj.metadata).toEqual({ name: "a", labels: { k: "v" } });
  });

  it("fills defaults where fields are missing", () => {
    const obj: Record<string, unknown> = { image: "a" };
    applyDefaults(spec, obj);
    expect(obj).toEqual({ image: "a", size: "small" });
  });
});

describe("patterns", () => {
  it("refuses what RE2 refuses, with Go's message", () => {
    expect(patternProblem("(?=a)")).toContain("invalid or unsupported Perl syntax");
    expect(patternProblem("a\\1")).toContain("invalid escape sequence");
    expect(patternProblem("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")).toBeUndefined();
  });

  it("matches in linear time where a backtracking engine would not finish", () => {
    expect(compiledPattern("^(a+)+$").test(`${"a".repeat(5000)}!`)).toBe(false);
    expect(compiledPattern("^(a+)+$").test("aaa")).toBe(true);
  });
});

describe("x-kubernetes-validations", () => {
  const ruled: JSONSchemaProps = {
    type: "object",
    properties: { replicas: { type: "integer" }, max: { type: "integer" }, name: { type: "string" } },
    "x-kubernetes-validations": [
      { rule: "self.replicas <= self.max" },
      { rule: "self.name.startsWith('w')", message: "name must start with w" },
      { rule: "self.replicas == oldSelf.replicas" },
    ],
  };

  it("evaluates rules with self bound to the value, with upstream's messages", () => {
    const errs = validateValue(ruled, { replicas: 5, max: 3, name: "x" }, "spec").map(fieldErrorText);
    expect(errs).toEqual([
      'spec: Invalid value: "object": failed rule: self.replicas <= self.max',
      'spec: Invalid value: "object": name must start with w',
    ]);
    expect(validateValue(ruled, { replicas: 1, max: 3, name: "w" }, "spec")).toEqual([]);
  });
});
