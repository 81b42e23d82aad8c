// The node side of sync, pure: whether an agent's node status differs from the stored one in anything
// but heartbeat times (only then is the Node written and the revision bumped), and the status to store.
import type { AgentNodeStatus } from "../../../kube/agent-protocol.ts";
import type { NodeCondition } from "../../../kube/pod-types.ts";

const conditionKey = (c: NodeCondition) => `${c.type}\u0000${c.status}\u0000${c.reason ?? ""}\u0000${c.message ?? ""}`;

/** True when conditions transitioned or capacity, allocatable, addresses or nodeInfo changed. */
export function nodeStatusChanged(stored: Record<string, unknown> | undefined, agent: AgentNodeStatus): boolean {
  if (!stored) return true;
  const storedConditions = ((stored.conditions as NodeCondition[] | undefined) ?? []).map(conditionKey).sort();
  const agentConditions = agent.conditions.map(conditionKey).sort();
  if (JSON.stringify(storedConditions) !== JSON.stringify(agentConditions)) return true;
  for (const field of ["capacity", "allocatable", "addresses", "nodeInfo"] as const)
    if (JSON.stringify(stored[field]) !== JSON.stringify(agent[field])) return true;
  return false;
}

/** The status to store: the agent's, with the heartbeat time of this write on every condition. */
export function nodeStatusToStore(stored: Record<string, unknown> | undefined, agent: AgentNodeStatus, now: string) {
  return {
    ...(stored ?? {}),
    capacity: agent.capacity,
    allocatable: agent.allocatable,
    addresses: agent.addresses,
    nodeInfo: agent.nodeInfo,
    conditions: agent.conditions.map((c) => ({ ...c, lastHeartbeatTime: now })),
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
  };
}

/** upstream's node lifecycle controller text when a node stops posting status. */
export function unknownConditions(stored: NodeCondition[] | undefined, now: string): NodeCondition[] {
  return (stored ?? []).map((c) =>
    c.status === "Unknown"
      ? c
      : {
          ...c,
          status: "Unknown",
          reason: "NodeStatusUnknown",
          message: "Kubelet stopped posting node status.",
          lastTransitionTime: now,
        },
  );
}
