// Server-side Tables for the metrics API, with metrics-server's columns: Name, then one column per resource
// in the usage (cpu, memory; a pod's summed over its containers), then Window. An empty list has no columns.
import type { Table, TableColumnDefinition } from "../../../kube/types.ts";
import type { IncludeObject } from "./table.ts";
import { cpuQuantity, memoryQuantity } from "../metrics/format.ts";
import type { RawUsage } from "../metrics/window.ts";

export interface MetricsItem {
  metadata: { name?: string; namespace?: string; creationTimestamp?: string; labels?: Record<string, string> };
  window: string;
}

const COLUMNS: TableColumnDefinition[] = [
  { name: "Name", type: "string", format: "name", description: "Name of the resource", priority: 0 },
  { name: "cpu", type: "string", format: "quantity", description: "", priority: 0 },
  { name: "memory", type: "string", format: "quantity", description: "", priority: 0 },
  { name: "Window", type: "string", format: "duration", description: "", priority: 0 },
];

/** Answered as meta.k8s.io/v1 whichever version was asked, as the other kinds' tables are. */
export const TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

function rowObject(item: MetricsItem, include: IncludeObject): unknown {
  if (include === "None") return null;
  if (include === "Object") return item;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: item.metadata };
}

export function metricsTable(items: { item: MetricsItem; total: RawUsage }[], include: IncludeObject): Table {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {},
    columnDefinitions: items.length ? COLUMNS : [],
    rows: items.map(({ item, total }) => ({
      cells: [
        item.metadata.name ?? "",
        cpuQuantity(total.cpuNanoCores),
        memoryQuantity(total.memoryBytes),
        item.window,
      ],
      object: rowObject(item, include),
    })),
  };
}
