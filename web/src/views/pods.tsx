// Pods: phase, node, restarts, age; delete with confirmation; logs.
import { timestampAge } from "../../../kube/duration.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { podRestarts, podStatus } from "../format.ts";
import { type ClusterApi, objectPath } from "../kube-client.ts";
import { ConfirmDelete, DataTable } from "../ui.tsx";

export function PodsTable({
  api,
  pods,
  now,
  onLogs,
}: {
  api: ClusterApi;
  pods: KubeObject[];
  now: number;
  onLogs: (pod: KubeObject) => void;
}) {
  return (
    <DataTable
      caption="Pods"
      rows={pods}
      rowKey={(p) => p.metadata.uid ?? `${p.metadata.namespace}/${p.metadata.name}`}
      empty="No pods."
      columns={[
        { title: "Namespace", cell: (p) => p.metadata.namespace },
        { title: "Name", cell: (p) => p.metadata.name },
        { title: "Status", cell: (p) => podStatus(p) },
        { title: "Node", cell: (p) => p.spec?.nodeName ?? "<none>" },
        { title: "Restarts", cell: (p) => podRestarts(p) },
        { title: "Age", cell: (p) => timestampAge(p.metadata.creationTimestamp, now) },
        {
          title: "Actions",
          cell: (p) => (
            <span class="actions">
              <button
                type="button"
                class="secondary"
                aria-label={`Logs of pod ${p.metadata.name}`}
                onClick={() => onLogs(p)}
              >
                Logs
              </button>
              <ConfirmDelete
                what={`pod ${p.metadata.name}`}
                onConfirm={async () => {
                  await api.delete(objectPath("/api/v1", "pods", p.metadata.name ?? "", p.metadata.namespace));
                }}
              />
            </span>
          ),
        },
      ]}
    />
  );
}
