// Joining: a join token and the node's facts buy a node credential, kept in the state dir. A refusal
// (wrong, expired or revoked token) ends the agent with the cluster's message; an unreachable cluster is
// retried with back-off, so an agent may start before its cluster does.
import { AGENT_JOIN_PATH, type JoinRequest, type JoinResponse } from "../kube/agent-protocol.ts";
import { retryDelay } from "./backoff.ts";
import { ApiError, UnreachableError } from "./client.ts";
import type { NodeFacts } from "./node-info.ts";
import type { SyncTransport } from "./sync-loop.ts";

export class JoinError extends Error {}

export async function join(
  client: SyncTransport,
  joinToken: string,
  nodeName: string,
  facts: NodeFacts,
  log: (message: string) => void = console.log,
  hostSubnets: string[] = [],
  volumeDir?: string,
): Promise<JoinResponse> {
  const request: JoinRequest = {
    nodeName,
    capacity: facts.capacity,
    allocatable: facts.allocatable,
    nodeInfo: facts.nodeInfo,
    addresses: facts.addresses,
    labels: facts.labels,
    ...(hostSubnets.length > 0 ? { hostSubnets } : {}),
    ...(volumeDir ? { volumeDir } : {}),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.post<JoinResponse>(AGENT_JOIN_PATH, joinToken, request);
    } catch (error) {
      if (error instanceof ApiError)
        throw new JoinError(`the cluster refused to join node "${nodeName}": ${error.message}`);
      if (!(error instanceof UnreachableError)) throw error;
      const delay = retryDelay(attempt);
      log(`join: cannot reach the cluster (${error.message}); retrying in ${Math.round(delay / 1000)}s`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
