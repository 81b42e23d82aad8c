import { describe, expect, it } from "vitest";
import { fitErrorMessage, NO_NODES } from "./fit-error.ts";
import { unresolvable, unschedulable } from "./types.ts";

describe("fitErrorMessage", () => {
  it.each([
    {
      name: "counts and sorts reasons as strings",
      numAll: 3,
      statuses: [
        unresolvable("node(s) were unschedulable"),
        unschedulable("Insufficient cpu"),
        unschedulable("Insufficient cpu"),
      ],
      post: "",
      want: "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.",
    },
    {
      name: "counts each reason of a node",
      numAll: 1,
      statuses: [{ reasons: ["Insufficient cpu", "Insufficient memory"], unresolvable: false }],
      post: "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      want: "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
    { name: "says so when there are no nodes", numAll: 0, statuses: [], post: "", want: NO_NODES },
  ])("$name", ({ numAll, statuses, post, want }) => {
    expect(fitErrorMessage(numAll, statuses, post)).toBe(want);
  });
});
