// Small builders for Table columns so each kind's file reads like upstream's printer table.
import type { KubeObject, TableColumnDefinition } from "../../../kube/types.ts";
import { timestampAge } from "../../../kube/duration.ts";
import type { Column, PrintContext } from "./types.ts";

type Cell = (obj: KubeObject, ctx: PrintContext) => unknown;

export function column(
  name: string,
  type: TableColumnDefinition["type"],
  description: string,
  cell: Cell,
  options: { priority?: number; format?: string } = {},
): Column {
  return { name, type, format: options.format ?? "", description, priority: options.priority ?? 0, cell };
}

/** A `-o wide`-only column. */
export function wide(name: string, type: TableColumnDefinition["type"], description: string, cell: Cell): Column {
  return column(name, type, description, cell, { priority: 1 });
}

export const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

export const AGE_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** The NAME column every table starts with. */
export const nameColumn: Column = column("Name", "string", NAME_DESCRIPTION, (o) => o.metadata.name, {
  format: "name",
});

/** The AGE column: time since metadata.creationTimestamp. */
export const ageColumn: Column = column("Age", "string", AGE_DESCRIPTION, (o, ctx) =>
  timestampAge(o.metadata.creationTimestamp, ctx.now),
);
