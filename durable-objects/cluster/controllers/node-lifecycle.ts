// The node lifecycle controller (upstream pkg/controller/nodelifecycle): a node whose lease has not
// been renewed for the grace period (the cluster's nodeMonitorGracePeriodSeconds) gets Ready (and
// the other conditions) Unknown; every node's controller-owned taints follow its conditions and
// spec.unschedulable (node-lifecycle-taints.ts). Renewals are not store changes, so the controller
// keeps one key requeued for the earliest lease deadline while nodes exist; with no nodes (or only
// silent ones) nothing is due and no alarm is armed.
import { type ApiContext, timestamp } from "../context.ts";
import { type LeaseRow, leaseDeadline } from "../nodes/heartbeat.ts";
import { DEFAULT_SETTINGS } from "../settings.ts";
import type { Change } from "../store/object-store.ts";
import { nextTaints } from "./node-lifecycle-taints.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

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
  readonly #w: Writer;

  constructor(
    private readonly ctx: ApiContext,
    private readonly heartbeats: NodeHeartbeats,
    private readonly graceMs = (ctx.settings ?? DEFAULT_SETTINGS).nodeMonitorGracePeriodSeconds * 1000,
  ) {
    this.#w = new Writer(ctx, "node-controller");
  }

  keysFor(change: Change): string[] {
    return change.entry.resource === "nodes" && change.type !== "DELETED" ? [KEY] : [];
  }

  initialKeys(): string[] {
    return this.ctx.store.count("nodes") > 0 ? [KEY] : [];
  }

  reconcile(): ReconcileResult | undefined {
    this.heartbeats.markSilentNodes(this.graceMs);
    this.#taintNodes();
    const next = this.#nextDeadline();
    // One millisecond past the deadline: a lease counts as run out only after it.
    return next === undefined ? undefined : { requeueAfterMs: Math.max(0, next - this.ctx.now()) + 1 };
  }

  /** Writes spec.taints of each node whose controller-owned taints are not what its state calls for. */
  #taintNodes(): void {
    const now = timestamp(this.ctx.now());
    for (const entry of this.ctx.store.list("nodes")) {
      const node = entry.object;
      const taints = nextTaints(node, now);
      if (!taints) continue;
      const next = structuredClone(node);
      next.spec = { ...next.spec, taints };
      if (taints.length === 0) delete next.spec.taints;
      this.#w.update("nodes", node, next);
    }
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
