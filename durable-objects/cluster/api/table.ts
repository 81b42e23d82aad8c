// Server-side Tables (meta.k8s.io/v1 Table): the columns kubectl prints, computed here
// from each kind's column data.
import type { KubeObject, ListMeta, Table, TableColumnDefinition, TableRow } from "../../../kube/types.ts";
import { nameColumn } from "../registry/columns.ts";
import type { Column, ResourceKind } from "../registry/types.ts";

export type IncludeObject = "None" | "Metadata" | "Object";

/** NAME comes first unless the kind places its own name column (upstream's Event table puts it last, wide only). */
function columnsOf(kind: ResourceKind): Column[] {
  return kind.columns.some((c) => c.format === "name") ? kind.columns : [nameColumn, ...kind.columns];
}

function definition(c: Column): TableColumnDefinition {
  return { name: c.name, type: c.type, format: c.format, description: c.description, priority: c.priority };
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return null;
  if (include === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

export function tableRow(kind: ResourceKind, obj: KubeObject, now: number, include: IncludeObject): TableRow {
  const cells = columnsOf(kind).map((c) => {
    const value = c.cell(obj, { now });
    return value === undefined ? null : value;
  });
  return { cells, object: rowObject(obj, include) };
}

export function buildTable(
  kind: ResourceKind,
  objects: readonly KubeObject[],
  metadata: ListMeta,
  options: { now: number; include: IncludeObject; withColumns: boolean },
): Table {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: options.withColumns ? columnsOf(kind).map(definition) : [],
    rows: objects.map((o) => tableRow(kind, o, options.now, options.include)),
  };
}

export function includeObjectOption(params: URLSearchParams): IncludeObject {
  const v = params.get("includeObject");
  return v === "None" || v === "Object" ? v : "Metadata";
}
