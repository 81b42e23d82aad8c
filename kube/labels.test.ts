import { describe, expect, it } from "vitest";
import {
  formatLabelSelector,
  type LabelRequirement,
  labelSelectorString,
  labelsToString,
  matchesLabels,
  parseLabelSelector,
  requirementsFromLabelSelector,
} from "./labels.ts";
import { StatusError } from "./status.ts";
import type { LabelSelector } from "./types.ts";

const req = (key: string, operator: LabelRequirement["operator"], ...values: string[]): LabelRequirement => ({
  key,
  operator,
  values,
});

describe("parseLabelSelector: accepted input", () => {
  it.each<[string, LabelRequirement[]]>([
    ["", []],
    ["   ", []],
    ["a=b", [req("a", "=", "b")]],
    ["a==b", [req("a", "==", "b")]],
    ["a!=b", [req("a", "!=", "b")]],
    ["a=", [req("a", "=", "")]],
    ["a", [req("a", "exists")]],
    ["!a", [req("a", "!")]],
    [" ! a ", [req("a", "!")]],
    ["a in (x,y)", [req("a", "in", "x", "y")]],
    ["a in (y, x, y)", [req("a", "in", "x", "y")]],
    ["a notin (x)", [req("a", "notin", "x")]],
    ["a in ()", [req("a", "in", "")]],
    ["a in (,x)", [req("a", "in", "", "x")]],
    ["a in (x,)", [req("a", "in", "", "x")]],
    ["a in (x,,y)", [req("a", "in", "", "x", "y")]],
    ["a in (in,notin)", [req("a", "in", "in", "notin")]],
    ["in=notin", [req("in", "=", "notin")]],
    ["a>1", [req("a", "gt", "1")]],
    ["a<3", [req("a", "lt", "3")]],
    ["x=1,app.kubernetes.io/name=web", [req("app.kubernetes.io/name", "=", "web"), req("x", "=", "1")]],
    ["b,a,c!=d", [req("a", "exists"), req("b", "exists"), req("c", "!=", "d")]],
    ["a=b , c in ( d , e )", [req("a", "=", "b"), req("c", "in", "d", "e")]],
  ])("%j", (text, want) => {
    expect(parseLabelSelector(text)).toEqual(want);
  });
});

describe("parseLabelSelector: upstream error text", () => {
  const valueRule =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  it.each([
    ["a in", "unable to parse requirement: found '' expected: '('"],
    ["a in x", "unable to parse requirement: found 'x' expected: '('"],
    ["a in (x", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ["a in (x,=)", "unable to parse requirement: found '=', expected: ',', or identifier"],
    ["a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["a=b c", "found 'c', expected: ',' or 'end of string'"],
    ["a=b,", "found '', expected: identifier after ','"],
    ["a=b,,c", "found ',', expected: identifier after ','"],
    [",a", "found ',', expected: !, identifier, or 'end of string'"],
    ["=a", "found '=', expected: !, identifier, or 'end of string'"],
    ["!", "unable to parse requirement: found '', expected: identifier"],
    ["a=(", "unable to parse requirement: found '(', expected: identifier"],
    ["!a=b", "found '=', expected: ',' or 'end of string'"],
    ["a b=c", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["a=b$", `unable to parse requirement: values[0][a]: Invalid value: "b$": ${valueRule}`],
    [
      "a>x",
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      "k in (-x,y-)",
      `unable to parse requirement: [values[0][k]: Invalid value: "-x": ${valueRule}, values[1][k]: Invalid value: "y-": ${valueRule}]`,
    ],
  ])("%j", (text, message) => {
    let err: unknown;
    try {
      parseLabelSelector(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
    expect((err as StatusError).message).toBe(message);
  });

  it("reports a bad key with upstream's nil field path", () => {
    expect(() => parseLabelSelector("a$b=c")).toThrow(
      /^unable to parse requirement: <nil>: Invalid value: "a\$b": name part must consist/,
    );
    expect(() => parseLabelSelector("/a")).toThrow(
      /^unable to parse requirement: <nil>: Invalid value: "\/a": prefix part must be non-empty$/,
    );
  });
});

describe("matchesLabels", () => {
  const labels = { app: "web", tier: "front", n: "5" };
  it.each<[string, boolean]>([
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app=db", false],
    ["missing=x", false],
    ["app!=db", true],
    ["app!=web", false],
    ["missing!=x", true],
    ["app in (web,db)", true],
    ["app in (db)", false],
    ["missing in (x)", false],
    ["app notin (db)", true],
    ["app notin (web)", false],
    ["missing notin (x)", true],
    ["app", true],
    ["missing", false],
    ["!app", false],
    ["!missing", true],
    ["n>4", true],
    ["n>5", false],
    ["n<6", true],
    ["app>1", false],
    ["missing<1", false],
    ["app=web,tier=front", true],
    ["app=web,tier=back", false],
  ])("%j → %s", (text, want) => {
    expect(matchesLabels(parseLabelSelector(text), labels)).toBe(want);
  });

  it("treats missing labels as an empty set", () => {
    expect(matchesLabels([], undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector("!a"), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector("a"), undefined)).toBe(false);
  });

  it("null (labels.Nothing) matches nothing", () => {
    expect(matchesLabels(null, {})).toBe(false);
    expect(matchesLabels(null, labels)).toBe(false);
  });

  it("does not see inherited properties as labels", () => {
    expect(matchesLabels(parseLabelSelector("constructor"), {})).toBe(false);
    expect(matchesLabels(parseLabelSelector("toString=x"), {})).toBe(false);
  });
});

describe("requirementsFromLabelSelector", () => {
  it("null and undefined select nothing; {} selects everything", () => {
    expect(requirementsFromLabelSelector(null)).toBeNull();
    expect(requirementsFromLabelSelector(undefined)).toBeNull();
    expect(requirementsFromLabelSelector({})).toEqual([]);
    expect(requirementsFromLabelSelector({ matchLabels: {}, matchExpressions: [] })).toEqual([]);
  });

  it("converts matchLabels and every expression operator, sorted by key", () => {
    const sel: LabelSelector = {
      matchLabels: { z: "1", a: "2" },
      matchExpressions: [
        { key: "m", operator: "In", values: ["y", "x"] },
        { key: "n", operator: "NotIn", values: ["x"] },
        { key: "e", operator: "Exists" },
        { key: "d", operator: "DoesNotExist" },
      ],
    };
    expect(requirementsFromLabelSelector(sel)).toEqual([
      req("a", "=", "2"),
      req("d", "!"),
      req("e", "exists"),
      req("m", "in", "y", "x"),
      req("n", "notin", "x"),
      req("z", "=", "1"),
    ]);
  });

  it.each<[LabelSelector, string]>([
    [{ matchExpressions: [{ key: "a", operator: "Foo" as "In" }] }, '"Foo" is not a valid pod selector operator'],
    [
      { matchExpressions: [{ key: "a", operator: "In", values: [] }] },
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] },
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    ],
    [{ matchLabels: { "a/b/c": "x" } }, "key: Invalid value"],
    [{ matchExpressions: [{ key: "a", operator: "constructor" as "In" }] }, "is not a valid pod selector operator"],
  ])("rejects %j", (sel, message) => {
    expect(() => requirementsFromLabelSelector(sel)).toThrow(message);
  });
});

describe("formatLabelSelector", () => {
  it.each<[LabelSelector | undefined, string]>([
    [undefined, "<none>"],
    [{}, "<none>"],
    [{ matchLabels: { app: "web" } }, "app=web"],
    [{ matchLabels: { tier: "x", app: "web" } }, "app=web,tier=x"],
    [
      {
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["b", "a"] },
          { key: "env", operator: "NotIn", values: ["prod"] },
          { key: "x", operator: "Exists" },
          { key: "y", operator: "DoesNotExist" },
        ],
      },
      "app=web,env notin (prod),tier in (a,b),x,!y",
    ],
    [{ matchExpressions: [{ key: "a", operator: "In" }] }, "<error>"],
  ])("%j → %s", (sel, text) => {
    expect(formatLabelSelector(sel)).toBe(text);
  });

  it("round-trips through the parser", () => {
    const text = "a!=b,c in (d,e),f notin (g),h,!i,j>3,k==l";
    expect(labelSelectorString(parseLabelSelector(text))).toBe(text);
  });
});

describe("labelsToString", () => {
  it.each<[Record<string, string> | undefined, string]>([
    [undefined, ""],
    [{}, ""],
    [{ b: "2", a: "1" }, "a=1,b=2"],
    [{ "app.kubernetes.io/name": "x", app: "" }, "app=,app.kubernetes.io/name=x"],
  ])("%j → %j", (labels, text) => {
    expect(labelsToString(labels)).toBe(text);
  });
});
