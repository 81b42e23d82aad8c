// Shared Kubernetes API shapes. Only the fields the server itself reads are typed;
// everything else in an object travels untouched as JSON.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

/**
 * A part of an object read without its schema (a spec, a status, a container, a template) by the
 * kind's own code, which knows its shape — for the reason KubeObject's spec and status are `any`.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type LooseObject = Record<string, any>;

/**
 * Parsed JSON read by code that checks its shape by assertion rather than by type — tests reading API answers
 * and kubectl's output — so one declaration serves them all instead of a local `any` in each file.
 */
// biome-ignore lint/suspicious/noExplicitAny: the reader asserts the shape it expects
export type AnyJson = any;

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // Each kind's spec and status are read by that kind's own code (registry, controllers), which
  // knows their shape; typing every kind's schema here would duplicate kube/schema.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  status?: any;
  [field: string]: unknown;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KubeList<T = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  apiVersion: "v1";
  kind: "Status";
  metadata: ListMeta;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent<T = KubeObject | Status> {
  type: WatchEventType;
  object: T;
}

/** One column of a server-side Table (meta.k8s.io/v1). */
export interface TableColumnDefinition {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object: unknown;
  conditions?: unknown[];
}

export interface Table {
  apiVersion: "meta.k8s.io/v1";
  kind: "Table";
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** A label selector as it appears in objects (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}
