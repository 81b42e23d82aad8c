// The CEL wrapper: Kubernetes' usual expressions, compile errors, RE2 `matches`, and the limits that keep a
// pathological expression from hanging the cluster object.
import { describe, expect, it } from "vitest";
import { activation, compile, evaluate, newBudget, PER_CALL_LIMIT } from "./cel.ts";

const VARS = ["object", "oldObject", "params"];

function run(expression: string, values: Record<string, unknown> = {}) {
  const compiled = compile(expression, VARS);
  if (compiled.error !== undefined) throw new Error(compiled.error);
  return evaluate(compiled.program, activation(values));
}

const deployment = {
  metadata: { name: "web", labels: { app: "web" } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          { name: "a", image: "busybox:stable" },
          { name: "b", image: "nginx" },
        ],
      },
    },
  },
};

describe("CEL", () => {
  it("evaluates upstream's policy examples over JSON objects (integers are CEL ints)", () => {
    expect(run("object.spec.replicas <= 5", { object: deployment }).value).toBe(true);
    expect(run("object.spec.replicas + 1", { object: deployment }).value).toBe(4);
    expect(run("has(object.spec.paused)", { object: deployment }).value).toBe(false);
    expect(
      run("object.metadata.labels.app.startsWith('we') && size(object.metadata.name) == 3", { object: deployment })
        .value,
    ).toBe(true);
    const containers = "object.spec.template.spec.containers";
    expect(run(`${containers}.all(c, c.image.contains(':'))`, { object: deployment }).value).toBe(false);
    expect(run(`${containers}.exists(c, c.name == 'b')`, { object: deployment }).value).toBe(true);
    expect(run(`${containers}.exists_one(c, c.name.matches('^[ab]$'))`, { object: deployment }).value).toBe(false);
    expect(run(`${containers}.filter(c, c.name == 'a').map(c, c.image)`, { object: deployment }).value).toEqual([
      "busybox:stable",
    ]);
    expect(run("'x-' + string(object.spec.replicas)", { object: deployment }).value).toBe("x-3");
    expect(run("params.data.max", { params: { data: { max: "5" } } }).value).toBe("5");
    expect(run("oldObject == null", { object: deployment }).value).toBe(true);
  });

  it("refuses a syntax error, an unknown variable and a type error at compile time", () => {
    expect(compile("object.spec.replicas <=", VARS).error).toMatch(/Unexpected token/);
    expect(compile("request.name == 'x'", VARS).error).toMatch(/Unknown variable: request/);
    expect(compile("1 + 'a'", VARS).error).toMatch(/no such overload/);
    expect(compile("__flotilla_meter()", VARS).error).toBeDefined();
    expect(compile("x".repeat(70000), VARS).error).toMatch(/too long/);
  });

  it("matches with RE2: its syntax, and linear time on a pattern that backtracks exponentially in JavaScript", () => {
    expect(run("'ABC'.matches('(?i)^abc$')").value).toBe(true);
    expect(run("matches('abc', 'b')").value).toBe(true);
    expect(run(`'${"a".repeat(5000)}!'.matches('^(a+)+$')`).value).toBe(false);
    expect(run("'a'.matches('(')").error).toMatch(/invalid regular expression/);
  });

  it("stops a pathological expression with upstream's cost error instead of running on", () => {
    const big = `[${Array.from({ length: 1000 }, (_, i) => i).join(",")}]`;
    const nested = `${big}.all(x, ${big}.all(y, ${big}.all(z, x + y + z >= 0)))`;
    const result = run(nested);
    expect(result.error).toBe("operation cancelled: actual cost limit exceeded");
    expect(result.cost).toBeGreaterThan(PER_CALL_LIMIT);
    // Doubling a string through bindings is charged by size and stops long before memory runs out.
    let doubling = "'ab'";
    for (let i = 0; i < 40; i++) doubling = `cel.bind(s${i}, ${doubling}, s${i} + s${i})`;
    expect(run(`size(${doubling}) > 0`).error).toBe("operation cancelled: actual cost limit exceeded");
  });

  it("draws several evaluations from one budget", () => {
    const compiled = compile("[1,2,3].map(x, x * 2).size() == 3", VARS);
    if (!compiled.program) throw new Error(compiled.error);
    const budget = newBudget(30);
    const first = evaluate(compiled.program, activation({}), budget);
    expect(first.value).toBe(true);
    expect(budget.remaining).toBe(30 - first.cost);
    const drained = newBudget(5);
    expect(evaluate(compiled.program, activation({}), drained).error).toBe(
      "operation cancelled: actual cost limit exceeded",
    );
  });

  it("has Kubernetes' lists library and the string extensions", () => {
    expect(run("[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && [1, 2, 3].sum() == 6").value).toBe(true);
    expect(run("[1, 2, 2].isSorted() && ![2, 1].isSorted()").value).toBe(true);
    expect(run("['a', 'b', 'a'].indexOf('a') == 0 && ['a', 'b', 'a'].lastIndexOf('a') == 2").value).toBe(true);
    expect(run("[].min()").error).toMatch(/must not be empty/);
    expect(
      run("'abc'.charAt(1) + 'a-b-c'.replace('-', '+') + 'a-b-c'.replace('-', '+', 1) + 'ab'.reverse()").value,
    ).toBe("ba+b+ca+b-cba");
  });
});
