import { describe, expect, it } from "vitest";
import { addAmounts, amountOf, countOf, exceeded, formatAmount, parseList, prettyPrint } from "./quantities.ts";

const fmt = (v: string) => formatAmount(amountOf(v) ?? countOf(-1));

describe("quota quantities", () => {
  it("prints Go's canonical forms", () => {
    expect(fmt("2000")).toBe("2k");
    expect(fmt("1500m")).toBe("1500m");
    expect(fmt("0.5")).toBe("500m");
    expect(fmt("2000m")).toBe("2");
    expect(fmt("1024Mi")).toBe("1Gi");
    expect(fmt("1.5Gi")).toBe("1536Mi");
    expect(fmt("1000")).toBe("1k");
    expect(fmt("0")).toBe("0");
    expect(formatAmount(countOf(3))).toBe("3");
  });

  it("adds keeping the first operand's format, and finds what is over", () => {
    const used = parseList({ "requests.memory": "256Mi", pods: "2" });
    const sum = addAmounts(used, parseList({ "requests.memory": "256Mi", pods: "1" }));
    expect(prettyPrint(sum)).toBe("pods=3,requests.memory=512Mi");
    const hard = parseList({ pods: "2", "requests.memory": "1Gi" });
    expect(exceeded(sum, hard)).toEqual(["pods"]);
    expect(prettyPrint(addAmounts(sum, parseList({ pods: "3" }), -1n))).toBe("pods=0,requests.memory=512Mi");
  });
});
