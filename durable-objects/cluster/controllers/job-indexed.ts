// Indexed Jobs (upstream indexed_job_utils.go): each pod carries a completion index (annotation,
// label, hostname <job>-<index>, env JOB_COMPLETION_INDEX), and status.completedIndexes lists the
// indexes that succeeded as compressed ranges ("0-2,5").
import type { KubeObject } from "../../../kube/types.ts";
import { COMPLETION_INDEX } from "./job-status.ts";

export const isIndexed = (job: KubeObject) => job.spec?.completionMode === "Indexed";

/** getCompletionIndex: the pod's index, or undefined when absent or malformed. */
export function podIndex(pod: KubeObject): number | undefined {
  const raw = pod.metadata.annotations?.[COMPLETION_INDEX];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** Reads "0-2,5" into its indexes below `completions`; malformed parts are skipped. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? "").split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const end = Math.min(Number(m[2] ?? m[1]), completions - 1);
    for (let i = Number(m[1]); i <= end; i++) out.add(i);
  }
  return out;
}

/** Writes indexes as ascending compressed ranges. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** The lowest `count` indexes neither completed nor held by an active pod. */
export function missingIndexes(completions: number, completed: Set<number>, active: Set<number>, count: number) {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!completed.has(i) && !active.has(i)) out.push(i);
  return out;
}

/** Puts the index on a pod made from the template (name, annotation, label, hostname, env). */
export function withIndex(pod: KubeObject, jobName: string, index: number): KubeObject {
  const value = String(index);
  pod.metadata.generateName = `${jobName}-${index}-`;
  pod.metadata.annotations = { ...pod.metadata.annotations, [COMPLETION_INDEX]: value };
  pod.metadata.labels = { ...pod.metadata.labels, [COMPLETION_INDEX]: value };
  pod.spec.hostname = `${jobName}-${index}`;
  const env = {
    name: "JOB_COMPLETION_INDEX",
    valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } },
  };
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    c.env ??= [];
    if (!c.env.some((e: { name: string }) => e.name === env.name)) c.env.push(structuredClone(env));
  }
  return pod;
}
