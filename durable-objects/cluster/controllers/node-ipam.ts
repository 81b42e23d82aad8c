// The node IPAM controller (kube-controller-manager's nodeipam with the range allocator): every Node gets
// spec.podCIDR/podCIDRs, a /24 of the cluster CIDR 10.244.0.0/16 that no other node holds. The agent
// builds its pod network on it, so pod IPs are unique in the cluster. A node that already has a range
// keeps it (ranges are immutable once set); a deleted node's range is free again because allocation
// looks at the nodes that exist. When every range is taken the node is left without one and flagged
// as upstream does: a CIDRNotAvailable event, tried again when a node goes.
import { HOST_SUBNETS_ANNOTATION } from "../../../kube/agent-protocol.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { allocateNext, CIDR_SET_FULL, CIDRSet, HeldRanges, overlapping } from "./node-ipam-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const NODE_IPAM_CONTROLLER = "node-ipam-controller";
/** The component upstream's range allocator records its events as. */
const EVENT_COMPONENT = "cidrAllocator";

const cidrsOf = (node: { spec?: { podCIDRs?: unknown; podCIDR?: unknown } }): string[] => {
  const list = node.spec?.podCIDRs;
  if (Array.isArray(list) && list.length > 0) return list.filter((c): c is string => typeof c === "string");
  return typeof node.spec?.podCIDR === "string" && node.spec.podCIDR ? [node.spec.podCIDR] : [];
};

export class NodeIpamController implements Controller {
  readonly name = NODE_IPAM_CONTROLLER;
  readonly #w: Writer;
  readonly #set = new CIDRSet();
  /**
   * cidrset's nextCandidate: where the next search starts (in memory, as upstream's). Upstream starts at 0;
   * here each cluster starts somewhere of its own, so agents of different clusters on one host (two
   * playground clusters on one laptop, the container tests' clusters side by side) rarely want the same
   * ranges for their bridges — a host network a range collides with sends that agent to the fallback.
   */
  #candidate = Math.floor(Math.random() * this.#set.size);
  /** Nodes already told that no range is left (one event each until one is). */
  #flagged = new Set<string>();
  /** What the nodes hold, read from the store on first use and then kept from the changes seen. */
  #held: HeldRanges | undefined;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, EVENT_COMPONENT);
  }

  keysFor(change: Change): string[] {
    if (change.entry.resource !== "nodes") return [];
    const name = change.entry.object.metadata.name ?? "";
    if (change.type !== "DELETED") {
      const podCIDRs = cidrsOf(change.entry.object);
      this.#held?.hold({ name, podCIDRs });
      return podCIDRs.length === 0 ? [change.entry.key] : [];
    }
    this.#held?.release(name);
    this.#flagged.delete(name);
    // A range came free: nodes waiting for one try again.
    return cidrsOf(change.entry.object).length > 0 ? this.initialKeys() : [];
  }

  initialKeys(): string[] {
    return this.ctx.store
      .list("nodes")
      .filter((e) => cidrsOf(e.object).length === 0)
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const node = this.#w.entry(key)?.object;
    if (!node || node.metadata.deletionTimestamp || cidrsOf(node).length > 0) return undefined;
    const held = this.#heldRanges();
    const onHost = overlapping(this.#set, node.metadata.annotations?.[HOST_SUBNETS_ANNOTATION]?.split(",") ?? []);
    const used = { has: (index: number) => held.has(index) || onHost.has(index) };
    const next = allocateNext(this.#set, used, this.#candidate);
    const name = node.metadata.name ?? "";
    if (!next) {
      if (!this.#flagged.has(name)) {
        this.#flagged.add(name);
        // RecordNodeStatusChange(recorder, node, "CIDRNotAvailable")
        this.#w.events.record(node, {
          type: "Normal",
          reason: "CIDRNotAvailable",
          message: `Node ${name} status is now: CIDRNotAvailable`,
        });
        console.warn(
          `${NODE_IPAM_CONTROLLER}: node ${name}: failed to allocate cidr from cluster cidr at idx:0: ${CIDR_SET_FULL}`,
        );
      }
      return undefined;
    }
    this.#candidate = (next.index + 1) % this.#set.size;
    this.#flagged.delete(name);
    const updated = structuredClone(node);
    updated.spec = { ...updated.spec, podCIDR: next.cidr, podCIDRs: [next.cidr] };
    this.#w.update("nodes", node, updated);
    return undefined;
  }

  #heldRanges(): HeldRanges {
    if (this.#held) return this.#held;
    const held = new HeldRanges(this.#set);
    for (const e of this.ctx.store.list("nodes"))
      held.hold({ name: e.object.metadata.name ?? "", podCIDRs: cidrsOf(e.object) });
    this.#held = held;
    return held;
  }
}
