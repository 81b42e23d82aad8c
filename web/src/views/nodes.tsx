// Nodes: readiness, heartbeat age, capacity and what the pods on them request.
import type { KubeObject } from "../../../kube/types.ts";
import { formatBytes, formatCpu, heartbeatAge, nodeAllocation, nodeStatus, quantityValue } from "../format.ts";
import { DataTable } from "../ui.tsx";

export function NodesTable({
  nodes,
  podsByNode,
  now,
}: {
  nodes: KubeObject[];
  podsByNode: Map<string, KubeObject[]>;
  now: number;
}) {
  return (
    <DataTable
      caption="Nodes"
      rows={nodes}
      rowKey={(n) => n.metadata.name ?? ""}
      empty="No nodes yet: run the join command on a machine."
      columns={[
        { title: "Name", cell: (n) => n.metadata.name },
        {
          title: "Status",
          cell: (n) => <span class={`badge ${nodeStatus(n).startsWith("Ready") ? "ok" : "bad"}`}>{nodeStatus(n)}</span>,
        },
        { title: "Heartbeat", cell: (n) => `${heartbeatAge(n, now)} ago` },
        {
          title: "Capacity",
          cell: (n) =>
            `${formatCpu(quantityValue(n.status?.capacity?.cpu))} CPU, ${formatBytes(quantityValue(n.status?.capacity?.memory))}`,
        },
        {
          title: "Allocated",
          cell: (n) => {
            const a = nodeAllocation(n, podsByNode.get(n.metadata.name ?? "") ?? []);
            return `CPU ${a.cpu}, memory ${a.memory}, pods ${a.pods}`;
          },
        },
      ]}
    />
  );
}
