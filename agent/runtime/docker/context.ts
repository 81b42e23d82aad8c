// What a pod worker shares with the runtime around it.
import type Docker from "dockerode";
import type { PodStatusUpdate } from "../../../kube/agent-protocol.ts";
import type { Pod } from "../../../kube/pod-types.ts";
import type { RestartBackoff } from "../../backoff.ts";
import type { PodTokenManager } from "../../pod/tokens.ts";
import type { EventRecorder } from "../events.ts";
import type { PodNetworkConfig } from "./pod-files.ts";

export interface WorkerContext {
  docker: Docker;
  nodeName: string;
  hostIP: string;
  /** Per-pod directories (volumes) live under here: <podsDir>/<uid>. */
  podsDir: string;
  infraImage: string;
  crashBackoff: RestartBackoff;
  pullBackoff: RestartBackoff;
  events: EventRecorder;
  nodeAllocatable: Record<string, string>;
  /**
   * The network pods' infra containers join: the node's pod network, or undefined while it is not ready
   * (the cluster has not given the node a range yet). Absent: the runtime's default bridge.
   */
  podNetwork?: () => string | undefined;
  /** The Service variables for a pod's containers, as they stand when one starts (absent: none). */
  serviceEnv?: (pod: Pod) => [string, string][];
  /** DNS settings for pods' resolv.conf, hosts and hostname files (absent: the runtime's own files). */
  network?: PodNetworkConfig;
  /** The pods' bound ServiceAccount tokens for their projected volumes (absent: none are written). */
  podTokens?: PodTokenManager;
  /** Whether app containers join the infra container's UTS namespace explicitly (Podman; Docker does it itself). */
  sharesUTS?: Promise<boolean>;
  /** The pod's containers, inspected (cached by the runtime while a container's state is unchanged). */
  containersOf(uid: string, fresh: boolean): Promise<Docker.ContainerInspectInfo[]>;
  /** Records a container the worker just created, so the next pass sees it without a list call. */
  track(id: string): Promise<void>;
  report(update: PodStatusUpdate): void;
  terminated(uid: string): void;
  /** Asks for another reconcile pass soon (a probe verdict changed). */
  kick(): void;
  now(): number;
}
