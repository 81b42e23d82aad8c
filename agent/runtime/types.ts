// What the sync loop needs from a container runtime (docker or simulated).
import type { AgentEvent, MetricsReport, PodAssignment, PodStatusUpdate } from "../../kube/agent-protocol.ts";

/** What happened since the last report: sent with the next sync. */
export interface RuntimeReport {
  statuses: PodStatusUpdate[];
  events: AgentEvent[];
  /** Pods being deleted whose containers are all gone. */
  terminated: string[];
}

export interface PodRuntime {
  /** e.g. "docker://24.0.7" or "podman://4.3.1", as nodeInfo.containerRuntimeVersion. */
  version(): Promise<string>;
  /** Adopts what already runs for these pods (restored from the state dir); starts the reconcile loops. */
  start(restored: PodAssignment[]): Promise<void>;
  /** A pod is new or changed (including a deletionTimestamp): reconcile towards it. */
  apply(assignment: PodAssignment): void;
  /** A pod no longer exists in the cluster: stop it and clean up without reporting back. */
  forget(uid: string): void;
  /** After the first successful sync: remove containers of this node that belong to no known pod. */
  collectOrphans(known: Set<string>): Promise<void>;
  /** Statuses, events and terminations since the last call. */
  drain(): RuntimeReport;
  /** Called whenever there is something to report. */
  onChange(listener: () => void): void;
  /**
   * Usage of the node and its running containers since the previous call (rates need two readings, so
   * the first call may have none). The sync loop calls it at most once per heartbeat interval.
   */
  metrics?(): Promise<MetricsReport | undefined>;
  /** Stops the runtime's loops; pods keep running. */
  close(): Promise<void>;
}
