// Pod events as the kubelet records them, deduplicated: a repeated (pod, reason, message, fieldPath) raises
// the count and lastTimestamp instead of adding an event, as client-go's event correlator does.
import type { AgentEvent } from "../../kube/agent-protocol.ts";
import type { Pod } from "../../kube/pod-types.ts";

export class EventRecorder {
  #pending = new Map<string, AgentEvent>();
  #counts = new Map<string, { count: number; first: string }>();
  constructor(
    private readonly now: () => string = () => new Date().toISOString(),
    private readonly changed: () => void = () => {},
  ) {}

  record(pod: Pod, type: AgentEvent["type"], reason: string, message: string, fieldPath?: string): void {
    const uid = pod.metadata.uid ?? "";
    const key = [uid, reason, message, fieldPath ?? ""].join("\u0000");
    const now = this.now();
    const seen = this.#counts.get(key) ?? { count: 0, first: now };
    seen.count++;
    this.#counts.set(key, seen);
    this.#pending.set(key, {
      podUID: uid,
      namespace: pod.metadata.namespace ?? "default",
      podName: pod.metadata.name ?? "",
      fieldPath,
      type,
      reason,
      message,
      count: seen.count,
      firstTimestamp: seen.first,
      lastTimestamp: now,
    });
    this.changed();
  }

  /** Events recorded since the last drain (one per distinct event, with its running count). */
  drain(): AgentEvent[] {
    const out = [...this.#pending.values()];
    this.#pending.clear();
    return out;
  }

  /** Forgets a pod's counters once it is gone. */
  forget(uid: string): void {
    for (const key of this.#counts.keys()) if (key.startsWith(`${uid}\u0000`)) this.#counts.delete(key);
  }
}

/** upstream's involvedObject.fieldPath for a container. */
export const containerFieldPath = (name: string, init: boolean) =>
  init ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;

const SPEC_LISTS = { init: "initContainers", app: "containers", ephemeral: "ephemeralContainers" } as const;

/** The event's fieldPath for a container of the given sort. */
export const kindFieldPath = (name: string, kind: keyof typeof SPEC_LISTS) => `spec.${SPEC_LISTS[kind]}{${name}}`;
