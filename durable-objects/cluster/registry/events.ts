// core/v1 Event: the printer's event table (it has no leading NAME column: Name comes last,
// in wide output), upstream's field selectors, and legacyValidateEvent. Shared with the
// events.k8s.io/v1 kind in events-v1.ts, which converts to this shape first, as upstream does.
import { type FieldError, invalid, required } from "../../../kube/field-errors.ts";
import { isDNS1123Subdomain, isQualifiedName } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { timestampAge } from "../../../kube/duration.ts";
import { column, NAME_DESCRIPTION, wide } from "./columns.ts";
import { utf8Length } from "./meta.ts";
import type { Column, PrintContext, ResourceKind } from "./types.ts";

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** The core/v1 Event fields the server reads. */
export interface CoreEvent extends KubeObject {
  involvedObject?: ObjectReference;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  type?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  action?: string;
  related?: ObjectReference;
  /** ReportingController; its JSON name in core/v1 is reportingComponent. */
  reportingComponent?: string;
  reportingInstance?: string;
}

const ev = (o: KubeObject) => o as CoreEvent;

function firstSeen(e: CoreEvent, now: number): string {
  return e.firstTimestamp ? timestampAge(e.firstTimestamp, now) : timestampAge(e.eventTime, now);
}

function lastSeen(e: CoreEvent, now: number): string {
  if (e.series) return timestampAge(e.series.lastObservedTime, now);
  return e.lastTimestamp ? timestampAge(e.lastTimestamp, now) : firstSeen(e, now);
}

/** Singleton events of the new API carry no count: they print 1. */
export function eventCount(e: CoreEvent): number {
  if (e.series) return e.series.count ?? 0;
  return e.count || 1;
}

/** "pod/web-1", or only the lowercased kind when the reference has no name. */
export function eventObject(e: CoreEvent): string {
  const kind = (e.involvedObject?.kind ?? "").toLowerCase();
  const name = e.involvedObject?.name ?? "";
  return name ? `${kind}/${name}` : kind;
}

/** formatEventSource: component (or reporting controller), then ", host" if there is one. */
export function eventSource(e: CoreEvent): string {
  const component = e.source?.component || e.reportingComponent || "";
  const host = e.source?.host || e.reportingInstance || "";
  return host ? `${component}, ${host}` : component;
}

type Cell = (e: CoreEvent, ctx: PrintContext) => unknown;

/** The event columns, reading objects through `view` (identity for core, conversion for v1). */
export function eventColumns(view: (o: KubeObject) => CoreEvent): Column[] {
  const at =
    (cell: Cell) =>
    (o: KubeObject, ctx: PrintContext): unknown =>
      cell(view(o), ctx);
  return [
    column(
      "Last Seen",
      "string",
      "The time at which the most recent occurrence of this event was recorded.",
      at((e, c) => lastSeen(e, c.now)),
    ),
    column(
      "Type",
      "string",
      "Type of this event (Normal, Warning), new types could be added in the future",
      at((e) => e.type ?? ""),
    ),
    column(
      "Reason",
      "string",
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      at((e) => e.reason ?? ""),
    ),
    column("Object", "string", "The object that this event is about.", at(eventObject)),
    wide(
      "Subobject",
      "string",
      "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].",
      at((e) => e.involvedObject?.fieldPath ?? ""),
    ),
    wide(
      "Source",
      "string",
      "The component reporting this event. Should be a short machine understandable string.",
      at(eventSource),
    ),
    column(
      "Message",
      "string",
      "A human-readable description of the status of this operation.",
      at((e) => (e.message ?? "").trim()),
    ),
    wide(
      "First Seen",
      "string",
      "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
      at((e, c) => firstSeen(e, c.now)),
    ),
    wide("Count", "string", "The number of times this event has occurred.", at(eventCount)),
    column(
      "Name",
      "string",
      NAME_DESCRIPTION,
      at((e) => e.metadata.name ?? ""),
      { priority: 1, format: "name" },
    ),
  ];
}

/** EventToSelectableFields (beyond metadata.*), read through `view`. */
export function eventFields(view: (o: KubeObject) => CoreEvent): Record<string, (o: KubeObject) => string> {
  const ref = (key: keyof ObjectReference) => (o: KubeObject) => view(o).involvedObject?.[key] ?? "";
  return {
    "involvedObject.kind": ref("kind"),
    "involvedObject.namespace": ref("namespace"),
    "involvedObject.name": ref("name"),
    "involvedObject.uid": ref("uid"),
    "involvedObject.apiVersion": ref("apiVersion"),
    "involvedObject.resourceVersion": ref("resourceVersion"),
    "involvedObject.fieldPath": ref("fieldPath"),
    reason: (o) => view(o).reason ?? "",
    reportingComponent: (o) => view(o).reportingComponent ?? "",
    source: (o) => view(o).source?.component ?? "",
    type: (o) => view(o).type ?? "",
  };
}

function lengthLimit(field: string, value: string | undefined, limit: number): FieldError[] {
  return utf8Length(value ?? "") > limit ? [invalid(field, "", `can have at most ${limit} characters`)] : [];
}

/** Fields a new-style event (one with eventTime) must carry. */
function newStyleErrors(e: CoreEvent): FieldError[] {
  const errs: FieldError[] = [];
  const rc = e.reportingComponent ?? "";
  if (!rc) errs.push(required("reportingController"));
  for (const msg of isQualifiedName(rc)) errs.push(invalid("reportingController", rc, msg));
  if (!e.reportingInstance) errs.push(required("reportingInstance"));
  errs.push(...lengthLimit("reportingInstance", e.reportingInstance, 128));
  if (!e.action) errs.push(required("action"));
  errs.push(...lengthLimit("action", e.action, 128));
  if (!e.reason) errs.push(required("reason"));
  errs.push(...lengthLimit("reason", e.reason, 128));
  return [...errs, ...lengthLimit("message", e.message, 1024)];
}

/** legacyValidateEvent: every event, whichever API version wrote it, passes this. */
export function legacyValidateEvent(e: CoreEvent): FieldError[] {
  const ns = e.metadata.namespace ?? "";
  const refNs = e.involvedObject?.namespace ?? "";
  const mismatch = () => invalid("involvedObject.namespace", refNs, "does not match event.namespace");
  const errs: FieldError[] = [];
  if (!e.eventTime) {
    if (refNs ? ns !== refNs : ns !== "" && ns !== "default") errs.push(mismatch());
  } else {
    if (!refNs && ns !== "default" && ns !== "kube-system") errs.push(mismatch());
    errs.push(...newStyleErrors(e));
  }
  for (const msg of isDNS1123Subdomain(ns)) errs.push(invalid("namespace", ns, msg));
  return errs;
}

export const coreEvents: ResourceKind = {
  group: "",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  // core/v1 events skip ObjectMeta name validation; only the URL path rules apply.
  nameRule: "path-segment",
  columns: eventColumns(ev),
  fields: eventFields(ev),
  validate: (o) => legacyValidateEvent(ev(o)),
};
