// events.k8s.io/v1 Event: the same stored objects as core/v1 Event under other field names
// (pkg/apis/events/v1/conversion.go). Tables, field selectors and validation run on the core
// shape, as upstream's do on the internal type; the strict rules apply to this API only.
import { type FieldError, invalid, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { type CoreEvent, eventColumns, eventFields, legacyValidateEvent } from "./events.ts";
import { immutable, sameJson } from "./meta.ts";
import type { ResourceKind } from "./types.ts";

/** events.k8s.io/v1 field name → core/v1 field name; the other fields share their names. */
const RENAMES: [string, string][] = [
  ["regarding", "involvedObject"],
  ["note", "message"],
  ["deprecatedSource", "source"],
  ["deprecatedFirstTimestamp", "firstTimestamp"],
  ["deprecatedLastTimestamp", "lastTimestamp"],
  ["deprecatedCount", "count"],
  ["reportingController", "reportingComponent"],
];

function rename(obj: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out: KubeObject = { ...obj, apiVersion, kind: "Event" };
  for (const [from, to] of pairs) {
    delete out[from];
    if (obj[from] !== undefined) out[to] = obj[from];
  }
  return out;
}

export function eventsV1ToCore(obj: KubeObject): CoreEvent {
  return rename(obj, RENAMES, "v1") as CoreEvent;
}

export function coreToEventsV1(obj: KubeObject): KubeObject {
  return rename(
    obj,
    RENAMES.map(([a, b]) => [b, a]),
    "events.k8s.io/v1",
  );
}

function seriesErrors(e: CoreEvent): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if ((e.series.count ?? 0) < 2) errs.push(invalid("series.count", "", "should be at least 2"));
  if (!e.series.lastObservedTime) errs.push(required("series.lastObservedTime"));
  return errs;
}

/** ValidateEventCreate for events.k8s.io/v1: legacy rules plus the new API's strict ones. */
export function validateEventV1Create(o: KubeObject): FieldError[] {
  const e = eventsV1ToCore(o);
  const errs = [...legacyValidateEvent(e), ...seriesErrors(e)];
  if (!e.eventTime) errs.push(required("eventTime"));
  if (e.type !== "Normal" && e.type !== "Warning") errs.push(invalid("type", "", `has invalid value: ${e.type ?? ""}`));
  if (e.firstTimestamp) errs.push(invalid("firstTimestamp", "", "needs to be unset"));
  if (e.lastTimestamp) errs.push(invalid("lastTimestamp", "", "needs to be unset"));
  if (e.count) errs.push(invalid("count", "", "needs to be unset"));
  if (e.source?.component || e.source?.host) errs.push(invalid("source", "", "needs to be unset"));
  return errs;
}

const IMMUTABLE_EVENT_FIELDS = [
  "involvedObject",
  "reason",
  "message",
  "source",
  "firstTimestamp",
  "lastTimestamp",
  "count",
  "reason",
  "type",
  "eventTime",
  "action",
  "related",
  "reportingComponent",
  "reportingInstance",
] as const;

// Upstream names the fields in errors by their internal (core) names, except this one.
const errorName = (f: string) => (f === "reportingComponent" ? "reportingController" : f);

/** ValidateEventUpdate's strict part: a changed series is re-checked, the rest is frozen. */
export function validateEventV1Update(o: KubeObject, old: KubeObject): FieldError[] {
  const [e, before] = [eventsV1ToCore(o), eventsV1ToCore(old)];
  const errs = sameJson(e.series, before.series) ? [] : seriesErrors(e);
  for (const f of IMMUTABLE_EVENT_FIELDS) errs.push(...immutable(errorName(f), e[f], before[f]));
  return errs;
}

export const events: ResourceKind = {
  group: "events.k8s.io",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  nameRule: "subdomain",
  columns: eventColumns(eventsV1ToCore),
  fields: {
    reason: (o) => String(o.reason ?? ""),
    type: (o) => String(o.type ?? ""),
    ...Object.fromEntries(
      Object.entries(eventFields(eventsV1ToCore))
        .filter(([k]) => k.startsWith("involvedObject."))
        .map(([k, f]) => [k.replace("involvedObject.", "regarding."), f]),
    ),
    reportingController: (o) => String(o.reportingController ?? ""),
    source: (o) => eventsV1ToCore(o).source?.component ?? "",
  },
  validate: validateEventV1Create,
  validateUpdate: validateEventV1Update,
};
