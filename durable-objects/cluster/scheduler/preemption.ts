// DefaultPreemption (PostFilter): when a pod fits nowhere, find nodes where evicting pods of
// lower priority would make room, keep as many of those pods as still leaves room (most
// important first), and pick the node whose victims matter least, as upstream does.
import { fitErrorMessage } from "./fit-error.ts";
import type { Framework } from "./framework.ts";
import { NodeInfo } from "./node-info.ts";
import type { CycleState, PodInfo, Status } from "./types.ts";

export const NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NO_VICTIMS = "No preemption victims found for incoming pod";
export const NEVER = "not eligible due to preemptionPolicy=Never.";

export interface Candidate {
  nodeName: string;
  victims: PodInfo[];
}

export interface PreemptionResult {
  candidate?: Candidate;
  /** The PostFilter message for FailedScheduling ("preemption: …"), empty when a node was found. */
  message: string;
}

/** MoreImportantPod: higher priority first, then the one that started earlier. */
const moreImportant = (a: PodInfo, b: PodInfo) => b.priority - a.priority || a.created - b.created;

/** Victims on one node, or undefined when evicting every lower-priority pod would not help. */
function victimsOn(fw: Framework, pod: PodInfo, node: NodeInfo): PodInfo[] | undefined {
  const lower = [...node.pods.values()].filter((p) => p.priority < pod.priority).sort(moreImportant);
  if (lower.length === 0) return undefined;
  const trial = node.clone();
  for (const p of lower) trial.removePod(p.key);
  const state: CycleState = new Map();
  const filters = fw.activeFilters(state, pod);
  if (fw.runFilters(filters, state, pod, trial)) return undefined;
  const victims: PodInfo[] = [];
  for (const p of lower) {
    trial.addPod(p);
    if (fw.runFilters(filters, state, pod, trial)) {
      trial.removePod(p.key);
      victims.push(p);
    }
  }
  return victims;
}

/** pickOneNodeForPreemption's criteria after PDBs (not modelled): each narrows the field. */
export function pickCandidate(candidates: Candidate[]): Candidate | undefined {
  const highest = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority));
  const sum = (c: Candidate) => c.victims.reduce((s, v) => s + v.priority + 2 ** 31, 0);
  const earliestOfHighest = (c: Candidate) => {
    const top = highest(c);
    return Math.min(...c.victims.filter((v) => v.priority === top).map((v) => v.created));
  };
  let field = candidates.filter((c) => c.victims.length > 0);
  const narrow = (f: (c: Candidate) => number, preferHigh = false) => {
    if (field.length <= 1) return;
    const values = field.map(f);
    const best = preferHigh ? Math.max(...values) : Math.min(...values);
    field = field.filter((_, i) => values[i] === best);
  };
  narrow(highest);
  narrow(sum);
  narrow((c) => c.victims.length);
  narrow(earliestOfHighest, true);
  return field[0];
}

export function preempt(fw: Framework, pod: PodInfo, statuses: ReadonlyMap<string, Status>): PreemptionResult {
  if (pod.preemptionPolicy === "Never") return { message: `preemption: ${NEVER}` };
  const nodes = fw.view.nodes();
  const outcome: Status[] = [];
  const candidates: Candidate[] = [];
  for (const node of nodes) {
    const status = statuses.get(node.name);
    if (!status || status.unresolvable || !(node instanceof NodeInfo)) {
      outcome.push({ reasons: [NOT_HELPFUL], unresolvable: true });
      continue;
    }
    const victims = victimsOn(fw, pod, node);
    if (victims) candidates.push({ nodeName: node.name, victims });
    else outcome.push({ reasons: [NO_VICTIMS], unresolvable: false });
  }
  const candidate = pickCandidate(candidates);
  if (candidate) return { candidate, message: "" };
  return { message: `preemption: ${fitErrorMessage(nodes.length, outcome)}` };
}
