// One scheduling attempt for one pod over the cache: filter (a feasible subset of nodes from a
// round-robin start, as upstream's percentageOfNodesToScore), score with the plugin weights,
// and pick the best node, breaking ties so replicas of one owner spread.
import type { ClusterView, CycleState, NodeInfoView, Plugin, PodInfo, Status } from "./types.ts";

/** Upstream's minFeasibleNodesToFind and the adaptive percentage's floor. */
const MIN_FEASIBLE = 100;
const MIN_PERCENTAGE = 5;

export function feasibleNodesToFind(numAll: number): number {
  if (numAll < MIN_FEASIBLE) return numAll;
  const percentage = Math.max(50 - Math.floor(numAll / 125), MIN_PERCENTAGE);
  return Math.max(Math.floor((numAll * percentage) / 100), MIN_FEASIBLE);
}

export type Attempt =
  | { node: NodeInfoView; evaluated: number; feasible: number }
  | {
      node: undefined;
      numAllNodes: number;
      statuses: Map<string, Status>;
      rejectedBy: Set<string>;
      /** Set when a pre-filter rejected the pod outright. */
      preFilterMsg?: string;
    };

/** Where a pre-filter's rejection waits in the cycle state for `schedule`. */
const REJECTED = "framework/preFilterRejection";

export class Framework {
  readonly plugins: readonly Plugin[];
  readonly view: ClusterView;
  #nextStart = 0;
  #tie = 0;

  constructor(plugins: readonly Plugin[], view: ClusterView) {
    this.plugins = plugins;
    this.view = view;
  }

  /** The filters that apply to this pod, after their pre-filters ran. */
  activeFilters(state: CycleState, pod: PodInfo): Plugin[] {
    const active: Plugin[] = [];
    for (const p of this.plugins) {
      if (!p.filter) continue;
      const verdict = p.filter.preFilter?.(state, pod, this.view) ?? true;
      if (verdict === false) continue;
      if (verdict !== true && !state.has(REJECTED)) state.set(REJECTED, { ...verdict, plugin: p.name });
      active.push(p);
    }
    return active;
  }

  /** The first failing filter's status, with its plugin's name, or null when the node fits. */
  runFilters(
    filters: readonly Plugin[],
    state: CycleState,
    pod: PodInfo,
    node: NodeInfoView,
  ): (Status & { plugin: string }) | null {
    for (const p of filters) {
      const s = p.filter!.filter(state, pod, node, this.view);
      if (s) return { ...s, plugin: p.name };
    }
    return null;
  }

  schedule(pod: PodInfo): Attempt {
    const nodes = this.view.nodes();
    const state: CycleState = new Map();
    const filters = this.activeFilters(state, pod);
    const rejected = state.get(REJECTED) as (Status & { plugin: string }) | undefined;
    if (rejected)
      return {
        node: undefined,
        numAllNodes: nodes.length,
        statuses: new Map(),
        rejectedBy: new Set([rejected.plugin]),
        preFilterMsg: rejected.reasons.join(", "),
      };
    const nominated = pod.nominatedNodeName ? this.view.node(pod.nominatedNodeName) : undefined;
    if (nominated && !this.runFilters(filters, state, pod, nominated))
      return { node: nominated, evaluated: 1, feasible: 1 };
    const want = feasibleNodesToFind(nodes.length);
    const feasible: NodeInfoView[] = [];
    const statuses = new Map<string, Status>();
    const rejectedBy = new Set<string>();
    const start = nodes.length ? this.#nextStart % nodes.length : 0;
    let i = 0;
    for (; i < nodes.length && feasible.length < want; i++) {
      const node = nodes[(start + i) % nodes.length];
      const s = this.runFilters(filters, state, pod, node);
      if (!s) feasible.push(node);
      else {
        statuses.set(node.name, s);
        rejectedBy.add(s.plugin);
      }
    }
    this.#nextStart = start + i;
    if (feasible.length === 0) return { node: undefined, numAllNodes: nodes.length, statuses, rejectedBy };
    const node = feasible.length === 1 ? feasible[0] : this.#select(pod, feasible, this.score(state, pod, feasible));
    return { node, evaluated: i, feasible: feasible.length };
  }

  /** Weighted sum of every score plugin's normalized scores, per feasible node (same order). */
  score(state: CycleState, pod: PodInfo, nodes: readonly NodeInfoView[]): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    const raw = new Array<number>(nodes.length);
    for (const p of this.plugins) {
      const sp = p.score;
      if (!sp || (sp.preScore && !sp.preScore(state, pod, nodes, this.view))) continue;
      for (let i = 0; i < nodes.length; i++) raw[i] = sp.score(state, pod, nodes[i], this.view);
      sp.normalize?.(state, raw);
      const w = p.weight ?? 1;
      for (let i = 0; i < nodes.length; i++) totals[i] += raw[i] * w;
    }
    return totals;
  }

  /** Highest score; among equals the node with fewest pods of the same owner, then rotating. */
  #select(pod: PodInfo, nodes: readonly NodeInfoView[], totals: number[]): NodeInfoView {
    let best = Number.NEGATIVE_INFINITY;
    for (const t of totals) if (t > best) best = t;
    let ties: NodeInfoView[] = [];
    for (let i = 0; i < nodes.length; i++) if (totals[i] === best) ties.push(nodes[i]);
    if (ties.length > 1 && pod.ownerUid) {
      const counts = this.view.ownerCounts(pod.ownerUid);
      const fewest = Math.min(...ties.map((n) => counts?.get(n.name) ?? 0));
      ties = ties.filter((n) => (counts?.get(n.name) ?? 0) === fewest);
    }
    return ties[this.#tie++ % ties.length];
  }
}
