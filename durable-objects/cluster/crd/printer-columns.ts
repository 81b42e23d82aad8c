// A CRD version's additionalPrinterColumns as Table columns, cells as upstream's CR table
// convertor renders them; without columns, the single Age column upstream shows.
import { timestampAge } from "../../../kube/duration.ts";
import type { KubeObject, TableColumnDefinition } from "../../../kube/types.ts";
import { AGE_DESCRIPTION, ageColumn } from "../registry/columns.ts";
import type { Column } from "../registry/types.ts";
import { evaluate, parsePath } from "./jsonpath.ts";

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

function cellOf(type: string, values: unknown[], now: number): unknown {
  if (values.length === 0) return null;
  const v = values[0];
  switch (type) {
    case "integer":
      return typeof v === "number" && Number.isInteger(v) ? v : null;
    case "number":
      return typeof v === "number" ? v : null;
    case "boolean":
      return typeof v === "boolean" ? v : null;
    case "date":
      return typeof v === "string" ? timestampAge(v, now) : null;
    default:
      return values.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(",");
  }
}

export function printerColumns(columns: readonly PrinterColumn[] | undefined): Column[] {
  if (!columns || columns.length === 0) return [ageColumn];
  return columns.map((c) => {
    const steps = parsePath(c.jsonPath) ?? [];
    return {
      name: c.name,
      type: c.type as TableColumnDefinition["type"],
      format: c.format ?? "",
      description: c.description ?? (c.jsonPath === ".metadata.creationTimestamp" ? AGE_DESCRIPTION : ""),
      priority: c.priority ?? 0,
      cell: (obj: KubeObject, ctx) => cellOf(c.type, evaluate(steps, obj), ctx.now),
    };
  });
}
