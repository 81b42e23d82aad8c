// The CEL environment: @marcbachmann/cel-js with the variables a caller declares (each `dyn`, as
// Kubernetes' unstructured objects are) and an evaluation meter. The library evaluates every node but
// the root through its evaluator's `run`; wrapping that one method (the library has no cost limits)
// charges each node 1 and each string or list it produces a tenth of its length (cel-go's size factor),
// so an expression over its limit stops with upstream's cost error instead of running on; and it sends
// `matches` to RE2 (the library's own overload uses a backtracking RegExp and cannot be replaced).
// The library is pinned to an exact version: cel.test.ts fails if an upgrade bypasses `run`.
import { Environment } from "@marcbachmann/cel-js";
import { registerLibrary } from "./library.ts";
import { re2Matches } from "./regex.ts";

export interface Meter {
  used: number;
  limit: number;
  exceeded: boolean;
}

export const COST_LIMIT_EXCEEDED = "operation cancelled: actual cost limit exceeded";

let active: Meter | undefined;

/** Runs `fn` with `meter` charged for every node evaluated; nested use is not supported (nor needed). */
export function metered<T>(meter: Meter, fn: () => T): T {
  active = meter;
  try {
    return fn();
  } finally {
    active = undefined;
  }
}

function charge(units: number): void {
  const m = active;
  if (!m) return;
  m.used += units;
  if (m.used > m.limit) {
    m.exceeded = true;
    throw new Error(COST_LIMIT_EXCEEDED);
  }
}

function sizeOf(value: unknown): number {
  if (typeof value === "string" || Array.isArray(value) || value instanceof Uint8Array) return value.length / 10;
  return 0;
}

interface Node {
  op: string;
  args: unknown;
  evaluate(ev: unknown, ast: unknown, ctx: unknown): unknown;
}

interface EvaluatorLike {
  run(ast: Node, ctx: unknown): unknown;
}

/** `s.matches(re)` or `matches(s, re)`: the operand nodes, else undefined. */
function matchesOperands(ast: Node): [Node, Node] | undefined {
  const args = ast.args as unknown[];
  if (!Array.isArray(args) || args[0] !== "matches") return undefined;
  if (ast.op === "rcall" && Array.isArray(args[2]) && args[2].length === 1)
    return [args[1] as Node, args[2][0] as Node];
  if (ast.op === "call" && Array.isArray(args[1]) && args[1].length === 2)
    return [args[1][0] as Node, args[1][1] as Node];
  return undefined;
}

function stringOperand(value: unknown): string {
  if (typeof value !== "string") throw new Error(`found no matching overload for 'matches' applied to ${typeof value}`);
  return value;
}

function evaluateMatches(ev: EvaluatorLike, operands: [Node, Node], ctx: unknown): boolean {
  const text = stringOperand(ev.run(operands[0], ctx));
  const pattern = stringOperand(ev.run(operands[1], ctx));
  charge(text.length / 10);
  return re2Matches(text, pattern);
}

/** The root node is evaluated without `run`: a root `matches` call is routed to RE2 here. */
export function routeRootMatches(root: Node): void {
  const operands = matchesOperands(root);
  if (operands) root.evaluate = (ev, _ast, ctx) => evaluateMatches(ev as EvaluatorLike, operands, ctx);
}

/** Wraps the environment's evaluator (reached once through a function's `this`) with the meter. */
function installMeter(env: Environment): void {
  let evaluator: EvaluatorLike | undefined;
  env.registerFunction("__flotilla_meter(): bool", function (this: EvaluatorLike) {
    evaluator = this;
    return true;
  });
  env.evaluate("__flotilla_meter()");
  if (!evaluator) throw new Error("CEL evaluator not reachable: the meter cannot be installed");
  evaluator.run = function run(ast, ctx) {
    charge(1);
    const operands = matchesOperands(ast);
    if (operands) return evaluateMatches(this, operands, ctx);
    const result = ast.evaluate(this, ast, ctx);
    const size = sizeOf(result);
    if (size > 0) charge(size);
    return result;
  };
}

const environments = new Map<string, Environment>();

/** One environment per set of variable names (building one costs far more than a compile). */
export function environmentFor(variables: readonly string[]): Environment {
  const key = [...variables].sort().join(",");
  let env = environments.get(key);
  if (env) return env;
  env = new Environment({
    unlistedVariablesAreDyn: false,
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
    limits: { maxAstNodes: 10000, maxDepth: 250, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 },
  });
  for (const name of variables) env.registerVariable(name, "dyn");
  // cel-go's global form; evaluated on RE2 like the method (see `run` below).
  env.registerFunction("matches(string, string): bool", re2Matches);
  registerLibrary(env);
  installMeter(env);
  environments.set(key, env);
  return env;
}
