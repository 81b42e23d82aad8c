// Label selectors as k8s.io/apimachinery/pkg/labels (selector.go) and metav1's helpers: the string
// syntax kubectl sends as `labelSelector=`, the object form in specs, matching and printing.
// Errors keep upstream's wording because kubectl shows them to users verbatim.
import { type FieldError, fieldErrorsText, invalid } from "./field-errors.ts";
import { isQualifiedName, isValidLabelValue } from "./names.ts";
import { badRequest } from "./status.ts";
import type { LabelSelector } from "./types.ts";

/**
 * Upstream's selection.Operator values. "=" and "==" are the same test; "exists" is a bare key,
 * "!" a `!key`; "gt"/"lt" (`a>1`, `a<1`) compare integers and exist only in the string syntax.
 */
export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

/** One ANDed term of a selector. `values` is empty for exists/"!" and has one entry for =, ==, !=, gt, lt. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

// ---------------------------------------------------------------------------------------------
// Lexer

type Tok = "error" | "eos" | "id" | "(" | ")" | "," | "!" | "=" | "==" | "!=" | ">" | "<" | "in" | "notin";
interface Token {
  tok: Tok;
  lit: string;
}

// A Map, not an object literal: a key such as "constructor" must not find Object.prototype's.
const literalTokens = new Map<string, Tok>(
  [")", ",", "!", "==", "=", ">", "in", "<", "!=", "notin", "("].map((t) => [t, t as Tok]),
);
const isWhitespace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isSpecial = (c: string) => "=!(),><".includes(c);

function lex(s: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      out.push({ tok: "eos", lit: "" });
      return out;
    }
    if (isSpecial(s[pos])) {
      // Longest run of special characters that still forms an operator ("!=" but "=" then "(").
      let buf = "";
      let last: Token | undefined;
      while (pos < s.length && isSpecial(s[pos])) {
        buf += s[pos];
        const t = literalTokens.get(buf);
        if (t) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      out.push(last ?? { tok: "error", lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let word = "";
    while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) word += s[pos++];
    out.push({ tok: literalTokens.get(word) ?? "id", lit: word });
  }
}

// ---------------------------------------------------------------------------------------------
// Parser: a recursive descent that follows upstream's so that the same input fails the same way.

const binaryOperators = ["in", "notin", "=", "==", "!=", "gt", "lt"];
const opFromToken: Partial<Record<Tok, LabelOperator>> = {
  in: "in",
  notin: "notin",
  "=": "=",
  "==": "==",
  "!=": "!=",
  ">": "gt",
  "<": "lt",
};

class Parser {
  private pos = 0;
  constructor(private readonly items: Token[]) {}

  /** In value position the keywords `in`/`notin` are plain identifiers (`x in (in)`). */
  peek(asValue = true): Token {
    return this.asContext(this.items[this.pos], asValue);
  }
  next(asValue = true): Token {
    return this.asContext(this.items[this.pos++], asValue);
  }
  private asContext(t: Token, asValue: boolean): Token {
    return asValue && (t.tok === "in" || t.tok === "notin") ? { tok: "id", lit: t.lit } : t;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === "eos") return reqs;
      if (tok !== "id" && tok !== "!") throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`);
      }
      const after = this.next();
      if (after.tok === "eos") return reqs;
      if (after.tok !== ",") throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek();
      if (t2.tok !== "id" && t2.tok !== "!") throw new Error(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    const { key, operator } = this.keyAndInferredOperator();
    if (operator) return newRequirement(key, operator, []);
    const op = this.operator();
    const values = op === "in" || op === "notin" ? this.setValues() : this.exactValue();
    return newRequirement(key, op, [...new Set(values)].sort());
  }

  private keyAndInferredOperator(): { key: string; operator?: LabelOperator } {
    let t = this.next();
    let operator: LabelOperator | undefined;
    if (t.tok === "!") {
      operator = "!";
      t = this.next();
    }
    if (t.tok !== "id") throw new Error(`found '${t.lit}', expected: identifier`);
    // Upstream validates the key with a nil field path, which prints as "<nil>".
    const keyErrs = isQualifiedName(t.lit);
    if (keyErrs.length > 0) throw new Error(fieldErrorsText([invalid("<nil>", t.lit, keyErrs.join("; "))]));
    const la = this.peek().tok;
    if ((la === "eos" || la === ",") && operator !== "!") operator = "exists";
    return { key: t.lit, operator };
  }

  private operator(): LabelOperator {
    const t = this.next(false);
    const op = opFromToken[t.tok];
    if (!op) throw new Error(`found '${t.lit}', expected: ${binaryOperators.join(", ")}`);
    return op;
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.tok !== "(") throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek();
    if (tok === ")") {
      this.next();
      return [""]; // "()" is the set holding the empty value
    }
    if (tok !== "id" && tok !== ",") throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    this.next(); // identifiers() stops only in front of ")"
    return values;
  }

  /** A possibly empty, comma separated list where an empty slot means the empty value ("a,,b"). */
  private identifiers(): string[] {
    const values: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.tok === "id") {
        values.push(t.lit);
        const la = this.peek();
        if (la.tok === ")") return values;
        if (la.tok !== ",") throw new Error(`found '${la.lit}', expected: ',' or ')'`);
      } else if (t.tok === ",") {
        const la = this.peek().tok;
        if (values.length === 0 || la === ")" || la === ",") values.push("");
        if (la === ")") return values;
      } else {
        throw new Error(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const la = this.peek().tok;
    if (la === "eos" || la === ",") return [""];
    const t = this.next();
    if (t.tok !== "id") throw new Error(`found '${t.lit}', expected: identifier`);
    return [t.lit];
  }
}

/** labels.NewRequirement: checks operator arity and every value; throws upstream's aggregate text. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: FieldError[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(invalid("key", key, keyErrs.join("; ")));
  if ((operator === "in" || operator === "notin") && values.length === 0)
    errs.push(invalid("values", values, "for 'in', 'notin' operators, values set can't be empty"));
  if ((operator === "=" || operator === "==" || operator === "!=") && values.length !== 1)
    errs.push(invalid("values", values, "exact-match compatibility requires one single value"));
  if ((operator === "exists" || operator === "!") && values.length !== 0)
    errs.push(invalid("values", values, "values set must be empty for exists and does not exist"));
  if (operator === "gt" || operator === "lt") {
    if (values.length !== 1)
      errs.push(invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"));
    values.forEach((v, i) => {
      if (parseInt64(v) === undefined)
        errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    });
  }
  values.forEach((v, i) => {
    const valErrs = isValidLabelValue(v);
    if (valErrs.length > 0) errs.push(invalid(`values[${i}][${key}]`, v, valErrs.join("; ")));
  });
  if (errs.length > 0) throw new Error(fieldErrorsText(errs));
  return { key, operator, values };
}

function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

const byKey = (a: LabelRequirement, b: LabelRequirement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Parses the string syntax (`a=b,c!=d,e in (x,y),!f,g`). Requirements come back sorted by key as
 * upstream's; an empty or blank string gives [] (matches everything). Bad input throws a 400.
 */
export function parseLabelSelector(text: string): LabelRequirement[] {
  try {
    return new Parser(lex(text)).parse().sort(byKey);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case "=":
    case "==":
    case "in":
      return has && r.values.includes(value);
    case "!=":
    case "notin":
      return !has || !r.values.includes(value);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      const have = has ? parseInt64(value) : undefined;
      const want = r.values.length === 1 ? parseInt64(r.values[0]) : undefined;
      if (have === undefined || want === undefined) return false;
      return r.operator === "gt" ? have > want : have < want;
    }
  }
}

/**
 * True when every requirement holds. `null` is upstream's labels.Nothing() (a nil LabelSelector)
 * and matches no object; [] matches every object.
 */
export function matchesLabels(reqs: LabelRequirement[] | null, labels: Record<string, string> | undefined): boolean {
  if (reqs === null) return false;
  const ls = labels ?? {};
  return reqs.every((r) => requirementMatches(r, ls));
}

// ---------------------------------------------------------------------------------------------
// Object form (metav1.LabelSelector)

const expressionOperators: Record<string, LabelOperator> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/**
 * metav1.LabelSelectorAsSelector. Returns null for a null/undefined selector (matches nothing) and
 * [] for `{}` (matches everything). Invalid content (which validation should have refused) throws a 400.
 */
export function requirementsFromLabelSelector(sel: LabelSelector | null | undefined): LabelRequirement[] | null {
  if (sel === null || sel === undefined) return null;
  const reqs: LabelRequirement[] = [];
  try {
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push(newRequirement(k, "=", [v]));
    for (const expr of sel.matchExpressions ?? []) {
      const op = Object.hasOwn(expressionOperators, expr.operator) ? expressionOperators[expr.operator] : undefined;
      if (!op) throw new Error(`${JSON.stringify(expr.operator)} is not a valid pod selector operator`);
      reqs.push(newRequirement(expr.key, op, [...(expr.values ?? [])]));
    }
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  return reqs.sort(byKey);
}

const operatorText: Record<LabelOperator, string> = {
  "=": "=",
  "==": "==",
  "!=": "!=",
  in: " in ",
  notin: " notin ",
  gt: ">",
  lt: "<",
  exists: "",
  "!": "",
};

/** Requirement.String(): values of a set print sorted, without changing the requirement. */
export function requirementToString(r: LabelRequirement): string {
  if (r.operator === "exists") return r.key;
  if (r.operator === "!") return `!${r.key}`;
  const values = [...r.values].sort().join(",");
  const set = r.operator === "in" || r.operator === "notin";
  return `${r.key}${operatorText[r.operator]}${set ? `(${values})` : values}`;
}

/** Selector.String(): the requirements joined by ",". `null` (matches nothing) prints as "". */
export function labelSelectorString(reqs: LabelRequirement[] | null): string {
  return (reqs ?? []).map(requirementToString).join(",");
}

/**
 * metav1.FormatLabelSelector, as in Scale.status.selector and the SELECTOR column:
 * "<none>" when nothing is required (including a missing selector), "<error>" when invalid.
 */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  let reqs: LabelRequirement[] | null;
  try {
    reqs = requirementsFromLabelSelector(sel);
  } catch {
    return "<error>";
  }
  return labelSelectorString(reqs) || "<none>";
}

/** labels.Set.String(): `a=b,c=d` sorted by key; "" for none (printers show "<none>" themselves). */
export function labelsToString(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels?.[k]}`)
    .join(",");
}
