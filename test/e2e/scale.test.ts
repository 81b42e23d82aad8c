// Scale in `npm test` (issue 22): a reduced run of bench/workloads.ts — 1,000 replicas over 200 simulated
// nodes, then one full rolling update — through the real server. The bound only catches a stall: on a quiet
// 2-core machine each phase takes seconds to tens of seconds, and a phase fails only after 300 s (the
// figures are printed for comparison, never asserted as durations).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printPhases, runWorkloads } from "../../bench/workloads-run.ts";
import { type Harness, startHarness } from "./harness.ts";

const REPLICAS = 1_000;
const NODES = 200;
const PHASE_LIMIT_MS = 300_000;

describe("scale: a Deployment over many simulated nodes", () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    h = await startHarness();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-e2e-scale-"));
  });
  afterAll(async () => {
    await h?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    `joins ${NODES} nodes, makes ${REPLICAS} replicas Ready and rolls them all without stalling`,
    async () => {
      const phases = await runWorkloads(h.flotilla, {
        replicas: REPLICAS,
        nodes: NODES,
        processes: 1,
        rollouts: 1,
        timeoutMs: PHASE_LIMIT_MS,
        dir,
      });
      printPhases(`scale test: ${REPLICAS} replicas over ${NODES} simulated nodes`, phases);
      expect(phases.map((p) => [p.name, p.reached ? "reached" : p.state])).toEqual([
        [`join ${NODES} nodes`, "reached"],
        [`create ${REPLICAS} → all ready`, "reached"],
        ["rolling update #1", "reached"],
      ]);
    },
    4 * PHASE_LIMIT_MS,
  );
});
