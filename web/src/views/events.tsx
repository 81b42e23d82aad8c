// The event stream, newest first, as `kubectl get events` shows it.
import { timestampAge } from "../../../kube/duration.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { DataTable } from "../ui.tsx";

const SHOWN = 50;

function lastSeen(e: KubeObject): string | undefined {
  return (e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp) as string | undefined;
}

export function EventsTable({ events, now }: { events: KubeObject[]; now: number }) {
  const rows = [...events]
    .sort((a, b) => Date.parse(lastSeen(b) ?? "") - Date.parse(lastSeen(a) ?? ""))
    .slice(0, SHOWN);
  return (
    <DataTable
      caption="Events (newest first)"
      rows={rows}
      rowKey={(e) => e.metadata.uid ?? `${e.metadata.namespace}/${e.metadata.name}`}
      empty="No events yet."
      columns={[
        { title: "Last seen", cell: (e) => timestampAge(lastSeen(e), now) },
        { title: "Type", cell: (e) => e.type as string },
        { title: "Reason", cell: (e) => e.reason as string },
        {
          title: "Object",
          cell: (e) => {
            const o = e.involvedObject as { kind?: string; name?: string } | undefined;
            return `${(o?.kind ?? "").toLowerCase()}/${o?.name ?? ""}`;
          },
        },
        { title: "Message", cell: (e) => e.message as string },
      ]}
    />
  );
}
