// The cluster as a picture: each node a box holding its pods, unscheduled pods in their own box.
// Updates with the watches, so pods appear, move and vanish as the scheduler and controllers act.
import type { KubeObject } from "../../../kube/types.ts";
import { nodeStatus, podStatus } from "../format.ts";

function PodChip({ pod }: { pod: KubeObject }) {
  const status = podStatus(pod);
  const tone = status === "Running" ? "ok" : status === "Pending" || status === "ContainerCreating" ? "wait" : "bad";
  return (
    <li class={`pod ${tone}`} title={`${pod.metadata.namespace}/${pod.metadata.name}: ${status}`}>
      <span class="pod-name">{pod.metadata.name}</span>
      <span class="pod-status">{status}</span>
    </li>
  );
}

function Box({ title, status, pods }: { title: string; status?: string; pods: KubeObject[] }) {
  const ready = status?.startsWith("Ready");
  return (
    <figure
      class={`node-box ${status === undefined ? "unscheduled" : ready ? "ok" : "bad"}`}
      aria-label={`node ${title}`}
    >
      <figcaption>
        <strong>{title}</strong> {status && <span class={`badge ${ready ? "ok" : "bad"}`}>{status}</span>}{" "}
        <span class="count">
          {pods.length} pod{pods.length === 1 ? "" : "s"}
        </span>
      </figcaption>
      {pods.length > 0 && (
        <ul class="pods" aria-label={`pods on ${title}`}>
          {pods.map((p) => (
            <PodChip key={p.metadata.uid ?? p.metadata.name} pod={p} />
          ))}
        </ul>
      )}
    </figure>
  );
}

export function ClusterPicture({
  nodes,
  podsByNode,
  unscheduled,
}: {
  nodes: KubeObject[];
  podsByNode: Map<string, KubeObject[]>;
  unscheduled: KubeObject[];
}) {
  return (
    <div class="picture">
      {nodes.length === 0 && <p class="empty">No nodes have joined yet.</p>}
      {nodes.map((n) => (
        <Box
          key={n.metadata.name}
          title={n.metadata.name ?? ""}
          status={nodeStatus(n)}
          pods={podsByNode.get(n.metadata.name ?? "") ?? []}
        />
      ))}
      {unscheduled.length > 0 && <Box title="Not scheduled" pods={unscheduled} />}
    </div>
  );
}
