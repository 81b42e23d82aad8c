// The node lifecycle controller (upstream pkg/controller/nodelifecycle, monitoring only): a node whose
// lease has not been renewed for the grace period gets Ready (and the other conditions) Unknown.
// Renewals are not store changes, so the controller keeps one key requeued for the earliest lease
// deadline while nodes exist; with no nodes (or only silent ones) nothing is due and no alarm is armed.
import type { ApiContext } from "../api/context.ts";
import { type LeaseRow, leaseDeadline, NODE_MONITOR_GRACE_MS } from "../nodes/heartbeat.ts";
import type { Change } from "../store/object-store.ts";
import type { Controller, ReconcileResult } from "./types.ts";

export const NODE_LIFECYCLE_CONTROLLER = "node-lifecycle-controller";
/** The one key: every node is judged in the same pass. */
const KEY = "nodes";

/** What the controller needs of the node agents (NodeAgents). */
export interface NodeHeartbeats {
  leases(): LeaseRow[];
  markSilentNodes(graceMs?: number): string[];
}

export class NodeLifecycleController implements Controller {
  readonly name = NODE_LIFECYCLE_CONTROLLER;

  constructor(
    private readonly ctx: ApiContext,
    private readonly heartbeats: NodeHeartbeats,
    private readonly graceMs = NODE_MONITOR_GRACE_MS,
  ) {}

  keysFor(change: Change): string[] {
    return change.entry.resource === "nodes" && change.type !== "DELETED" ? [KEY] : [];
  }

  initialKeys(): string[] {
    return this.ctx.store.count("nodes") > 0 ? [KEY] : [];
  }

  reconcile(): ReconcileResult | undefined {
    this.heartbeats.markSilentNodes(this.graceMs);
    const next = this.#nextDeadline();
    // One millisecond past the deadline: a lease counts as run out only after it.
    return next === undefined ? undefined : { requeueAfterMs: Math.max(0, next - this.ctx.now()) + 1 };
  }

  /** The earliest deadline among leases of existing nodes that have not run out yet. */
  #nextDeadline(): number | undefined {
    const now = this.ctx.now();
    let next: number | undefined;
    for (const row of this.heartbeats.leases()) {
      const deadline = leaseDeadline(row, this.graceMs);
      if (deadline < now || !this.ctx.store.get("nodes", undefined, row.node)) continue;
      if (next === undefined || deadline < next) next = deadline;
    }
    return next;
  }
}
