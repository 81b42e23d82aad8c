// Waiting for joined agents: end-to-end files that start node agents wait until kubectl sees them Ready.
import type { KubeObject } from "../../kube/types.ts";
import type { Harness } from "./harness.ts";
import { until } from "./poll.ts";

type Condition = { type?: string; status?: string };
const isReady = (node: KubeObject) =>
  (node.status?.conditions as Condition[] | undefined)?.some((c) => c.type === "Ready" && c.status === "True") === true;

/** Polls `kubectl get nodes` until `count` nodes are Ready; returns every node listed then. */
export function untilNodesReady(h: Harness, count: number, timeoutMs?: number): Promise<KubeObject[]> {
  return until(
    `${count} node(s) Ready`,
    async () => {
      const list = JSON.parse((await h.kubectl(["get", "nodes", "-o", "json"])).stdout) as { items: KubeObject[] };
      return list.items.filter(isReady).length === count ? list.items : undefined;
    },
    timeoutMs,
  );
}
