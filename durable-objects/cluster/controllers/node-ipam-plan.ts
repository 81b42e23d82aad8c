// Node IPAM's arithmetic (upstream pkg/controller/nodeipam/ipam/cidrset), pure: the cluster CIDR cut
// into equal node ranges, which of them nodes already hold, and the next free one. As upstream's
// cidrset, allocation goes round from a moving candidate rather than taking the lowest free range,
// so a range a deleted node just gave back is not handed to the next node at once (its old pods'
// addresses may still be about).

/** kube-controller-manager's --cluster-cidr and --node-cidr-mask-size as the project fixes them. */
export const CLUSTER_CIDR = "10.244.0.0/16";
export const NODE_CIDR_MASK = 24;

/** cidrset's error text when every range is taken. */
export const CIDR_SET_FULL =
  "CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range";

export interface CIDR {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

const toNumber = (octets: number[]) => ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
export const ipString = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/** An IPv4 address as a number, or undefined when it is not a dotted quad. */
export function parseIP(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return toNumber(parts.map(Number));
}

/** net.ParseCIDR for IPv4, masked to its network; undefined when malformed. */
export function parseCIDR(text: string): CIDR | undefined {
  const [ip, bits, extra] = text.split("/");
  if (extra !== undefined || !bits || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const n = parseIP(ip ?? "");
  if (n === undefined) return undefined;
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (n & mask) >>> 0, prefix };
}

export const cidrString = (c: CIDR) => `${ipString(c.base)}/${c.prefix}`;

export function cidrContains(c: CIDR, ip: number): boolean {
  const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
  return (ip & mask) >>> 0 === c.base;
}

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

/**
 * Where a joining agent lists the networks its host already uses (JoinRequest.hostSubnets): the node gets
 * no range overlapping them, or its runtime would refuse the bridge (two clusters' agents on one machine).
 */
export const HOST_SUBNETS_ANNOTATION = "node.flotilla.dev/host-subnets";

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

/** The ranges the nodes hold (each node's first CIDR: the cluster is single-stack IPv4). */
export function occupied(set: CIDRSet, nodes: readonly NodeRanges[]): Set<number> {
  const used = new Set<number>();
  for (const node of nodes) {
    const index = set.indexOf(node.podCIDRs[0] ?? "");
    if (index !== undefined) used.add(index);
  }
  return used;
}

/** AllocateNext: the first free range from `candidate` on, wrapping; undefined when all are taken. */
export function allocateNext(
  set: CIDRSet,
  used: ReadonlySet<number>,
  candidate: number,
): { cidr: string; index: number } | undefined {
  for (let k = 0; k < set.size; k++) {
    const index = (candidate + k) % set.size;
    if (!used.has(index)) return { cidr: set.at(index), index };
  }
  return undefined;
}
