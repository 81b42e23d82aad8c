// Node IPAM's arithmetic (upstream pkg/controller/nodeipam/ipam/cidrset), pure: the cluster CIDR cut
// into equal node ranges, which of them nodes already hold, and the next free one. As upstream's
// cidrset, allocation goes round from a moving candidate rather than taking the lowest free range,
// so a range a deleted node just gave back is not handed to the next node at once (its old pods'
// addresses may still be about).

import { type CIDR, cidrContains, cidrString, parseCIDR } from "../../../kube/ipv4.ts";

/** kube-controller-manager's --cluster-cidr and --node-cidr-mask-size as the project fixes them. */
export const CLUSTER_CIDR = "10.244.0.0/16";
export const NODE_CIDR_MASK = 24;

/** cidrset's error text when every range is taken. */
export const CIDR_SET_FULL =
  "CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range";

/** The node ranges of a cluster CIDR: how many, and the i-th. */
export class CIDRSet {
  readonly cluster: CIDR;
  readonly size: number;
  readonly #step: number;

  constructor(
    clusterCIDR = CLUSTER_CIDR,
    readonly nodeMask = NODE_CIDR_MASK,
  ) {
    const cluster = parseCIDR(clusterCIDR);
    if (!cluster || nodeMask < cluster.prefix) throw new Error(`bad cluster CIDR ${clusterCIDR}/${nodeMask}`);
    this.cluster = cluster;
    this.size = 2 ** (nodeMask - cluster.prefix);
    this.#step = 2 ** (32 - nodeMask);
  }

  at(index: number): string {
    return cidrString({ base: this.cluster.base + index * this.#step, prefix: this.nodeMask });
  }

  /** The index of a node range of this set, or undefined when the text is not one (garbage, other size, outside). */
  indexOf(text: string): number | undefined {
    const c = parseCIDR(text);
    if (!c || c.prefix !== this.nodeMask || !cidrContains(this.cluster, c.base)) return undefined;
    if (cidrString(c) !== text) return undefined; // host bits set: not a range upstream would have given
    return (c.base - this.cluster.base) / this.#step;
  }
}

/** The node ranges of `set` that overlap any of these CIDRs (malformed ones are ignored). */
export function overlapping(set: CIDRSet, cidrs: readonly string[]): Set<number> {
  const out = new Set<number>();
  const rangeSize = 2 ** (32 - set.nodeMask);
  for (const text of cidrs) {
    const c = parseCIDR(text);
    if (!c) continue;
    const first = Math.max(c.base, set.cluster.base);
    const last = Math.min(c.base + 2 ** (32 - c.prefix) - 1, set.cluster.base + set.size * rangeSize - 1);
    for (let at = first - ((first - set.cluster.base) % rangeSize); at <= last; at += rangeSize)
      out.add((at - set.cluster.base) / rangeSize);
  }
  return out;
}

export interface NodeRanges {
  name: string;
  podCIDRs: readonly string[];
}

/**
 * The ranges nodes hold, kept up to date as nodes change rather than read off every node per allocation
 * (that made a join of N nodes cost N² parses). A range is held while any node names it: two nodes that
 * claim the same one (set by hand) both have to go before it is free.
 */
export class HeldRanges {
  readonly #byNode = new Map<string, number>();
  readonly #holders = new Map<number, number>();

  constructor(private readonly set: CIDRSet) {}

  /** Records what a node holds now (its first CIDR: the cluster is single-stack IPv4); none is fine. */
  hold(node: NodeRanges): void {
    this.release(node.name);
    const index = this.set.indexOf(node.podCIDRs[0] ?? "");
    if (index === undefined) return;
    this.#byNode.set(node.name, index);
    this.#holders.set(index, (this.#holders.get(index) ?? 0) + 1);
  }

  release(name: string): void {
    const index = this.#byNode.get(name);
    if (index === undefined) return;
    this.#byNode.delete(name);
    const left = (this.#holders.get(index) ?? 1) - 1;
    if (left > 0) this.#holders.set(index, left);
    else this.#holders.delete(index);
  }

  has(index: number): boolean {
    return this.#holders.has(index);
  }
}

/** AllocateNext: the first free range from `candidate` on, wrapping; undefined when all are taken. */
export function allocateNext(
  set: CIDRSet,
  used: { has(index: number): boolean },
  candidate: number,
): { cidr: string; index: number } | undefined {
  for (let k = 0; k < set.size; k++) {
    const index = (candidate + k) % set.size;
    if (!used.has(index)) return { cidr: set.at(index), index };
  }
  return undefined;
}
