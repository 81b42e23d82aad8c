import { describe, expect, it } from "vitest";
import {
  checkFieldLabels,
  escapeFieldValue,
  type FieldRequirement,
  fieldLabelNotSupported,
  fieldSelectorString,
  matchesFields,
  parseFieldSelector,
  unescapeFieldValue,
} from "./fields.ts";
import { StatusError } from "./status.ts";

const r = (field: string, operator: FieldRequirement["operator"], value: string): FieldRequirement => ({
  field,
  operator,
  value,
});

describe("parseFieldSelector", () => {
  it.each<[string, FieldRequirement[]]>([
    ["", []],
    [",", []],
    ["metadata.name=a", [r("metadata.name", "=", "a")]],
    ["metadata.name==a", [r("metadata.name", "==", "a")]],
    ["status.phase!=Running", [r("status.phase", "!=", "Running")]],
    ["spec.nodeName=", [r("spec.nodeName", "=", "")]],
    ["b=1,a=2", [r("a", "=", "2"), r("b", "=", "1")]],
    ["a=x\\,y", [r("a", "=", "x,y")]],
    ["a=x\\=y\\\\z", [r("a", "=", "x=y\\z")]],
    ["a!=\\=b", [r("a", "!=", "=b")]],
  ])("%j", (text, want) => {
    expect(parseFieldSelector(text)).toEqual(want);
  });

  it.each([
    ["a", "invalid selector: 'a'; can't understand 'a'"],
    ["a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"],
    ["a=b=c", "invalid field selector: unescaped character in value: 61"],
    // "!=" is found first, leaving an unescaped "=" in the value.
    ["a!==b", "invalid field selector: unescaped character in value: 61"],
    ["a=b\\x", "invalid field selector: invalid escape sequence: \\x"],
    ["a=b\\", "invalid field selector: invalid escape sequence: \\"],
  ])("rejects %j", (text, message) => {
    let err: unknown;
    try {
      parseFieldSelector(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
    expect((err as StatusError).message).toBe(message);
  });
});

describe("matchesFields", () => {
  const fields: Record<string, string> = { "metadata.name": "web", "status.phase": "Running" };
  const lookup = (f: string) => fields[f];
  it.each<[string, boolean]>([
    ["", true],
    ["metadata.name=web", true],
    ["metadata.name==web", true],
    ["metadata.name=db", false],
    ["metadata.name!=db", true],
    ["metadata.name!=web", false],
    ["spec.nodeName=", true],
    ["spec.nodeName!=", false],
    ["spec.nodeName=x", false],
    ["metadata.name=web,status.phase=Running", true],
    ["metadata.name=web,status.phase!=Running", false],
  ])("%j → %s", (text, want) => {
    expect(matchesFields(parseFieldSelector(text), lookup)).toBe(want);
  });
});

describe("escaping", () => {
  it.each(["plain", "a,b", "a=b", "a\\b", "\\,=", ""])("round-trips %j", (v) => {
    expect(unescapeFieldValue(escapeFieldValue(v))).toBe(v);
  });
  it("prints a selector with escaped values", () => {
    expect(fieldSelectorString([r("a", "==", "x,y"), r("b", "!=", "z")])).toBe("a=x\\,y,b!=z");
  });
});

describe("checkFieldLabels", () => {
  const supported = ["metadata.name", "metadata.namespace"];
  it("accepts supported fields", () => {
    expect(checkFieldLabels(parseFieldSelector("metadata.name=a"), supported)).toBeUndefined();
  });
  it("uses the generic upstream message by default", () => {
    expect(checkFieldLabels(parseFieldSelector("foo.bar=baz"), supported)?.message).toBe(
      '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });
  it("uses the core/v1 message when asked", () => {
    const err = checkFieldLabels(parseFieldSelector("spec.foo=1"), supported, fieldLabelNotSupported);
    expect(err?.code).toBe(400);
    expect(err?.message).toBe("field label not supported: spec.foo");
  });
});
