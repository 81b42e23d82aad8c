// apimachinery's shared types: object and list metadata, owner references, managed fields,
// label selectors, conditions, and the scalar types with special JSON forms.
import {
  array,
  boolean,
  type Definitions,
  INT_OR_STRING,
  int64,
  keyedList,
  MICRO_TIME,
  mergedSet,
  meta,
  object,
  preserveUnknown,
  QUANTITY,
  ref,
  string,
  stringMap,
  TIME,
  time,
} from "./dsl.ts";

export const metaDefinitions: Definitions = {
  [QUANTITY]: {
    kind: "opaque",
    description:
      "An amount of a resource, written as a number with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (k, M, G, T, P, E, or m for thousandths) or an exponent (1e3). Examples: 500m CPU, 128Mi memory.",
    openapi: { oneOf: [{ type: "string" }, { type: "number" }] },
  },
  [INT_OR_STRING]: {
    kind: "opaque",
    description:
      "A value that may be written either as an integer or as a string, such as a port number or a named port, or a count or a percentage.",
    openapi: { format: "int-or-string", oneOf: [{ type: "integer" }, { type: "string" }] },
  },
  [TIME]: {
    kind: "scalar",
    type: "string",
    format: "date-time",
    description: "A point in time in RFC 3339 form with second precision, for example 2024-05-01T12:00:00Z.",
  },
  [MICRO_TIME]: {
    kind: "scalar",
    type: "string",
    format: "date-time",
    description: "A point in time in RFC 3339 form with microsecond precision.",
  },
  [meta("FieldsV1")]: preserveUnknown(
    "The set of fields a manager owns, as a JSON tree of field keys (f:<name>, k:<key>, v:<value>, i:<index>).",
  ),
  [meta("ObjectMeta")]: object(
    {
      name: string(
        "The object's name, unique among objects of its kind in its namespace. Set on create and cannot be changed afterwards.",
      ),
      generateName: string(
        "A prefix from which the server builds a unique name when name is empty; a random suffix is appended.",
      ),
      namespace: string(
        "The namespace the object lives in; empty for cluster-scoped kinds. Defaults to 'default' for namespaced kinds. Cannot be changed.",
      ),
      selfLink: string("Deprecated and no longer set by the server."),
      uid: string("A unique identifier assigned by the server on creation; never reused. Read-only."),
      resourceVersion: string(
        "An opaque version of this object, changed on every write. Clients pass it back on update for optimistic concurrency and use it to resume watches. Read-only.",
      ),
      generation: int64("A counter of changes to the desired state (spec), set by the server. Read-only."),
      creationTimestamp: time("When the server created the object. Read-only."),
      deletionTimestamp: time(
        "When the object will be removed, set once deletion has been requested; the object remains until its finalizers are gone and its grace period has passed. Read-only.",
      ),
      deletionGracePeriodSeconds: int64(
        "Seconds the object is given to terminate gracefully once deletion was requested. Read-only.",
      ),
      labels: stringMap(
        "Key/value pairs used to organise and select objects (by selectors of services, workloads and kubectl -l).",
      ),
      annotations: stringMap(
        "Key/value pairs for arbitrary non-identifying metadata stored with the object; not used for selection.",
      ),
      ownerReferences: keyedList(
        ref(meta("OwnerReference")),
        "uid",
        "Objects this one depends on. When every owner is deleted, the garbage collector deletes this object too (unless orphaned).",
        ["uid"],
      ),
      finalizers: mergedSet(
        "Names of pending cleanup steps. While any remain, deleting the object only sets deletionTimestamp; the object goes once the list is empty.",
      ),
      managedFields: array(
        ref(meta("ManagedFieldsEntry")),
        "Which manager owns which fields, as recorded by server-side apply and updates. Mostly for internal use.",
        { listType: "atomic" },
      ),
    },
    "Metadata every persisted object carries: its identity, labels and annotations, ownership and lifecycle.",
  ),
  [meta("ListMeta")]: object(
    {
      selfLink: string("Deprecated and no longer set by the server."),
      resourceVersion: string("The version of the collection at the time of the list, usable to start a watch."),
      continue: string("A token to fetch the next page of a paginated list; empty on the last page."),
      remainingItemCount: int64("How many items remain after this page, when the server can tell."),
    },
    "Metadata of a list response.",
  ),
  [meta("OwnerReference")]: object(
    {
      apiVersion: string("API version of the owner."),
      kind: string("Kind of the owner."),
      name: string("Name of the owner."),
      uid: string("UID of the owner."),
      controller: boolean("True if the owner is the managing controller of this object; at most one owner may be."),
      blockOwnerDeletion: boolean(
        "With foreground deletion, when true the owner is not removed until this object has been deleted.",
      ),
    },
    "Identifies an object that owns this one. The owner must be in the same namespace or cluster-scoped.",
    { required: ["apiVersion", "kind", "name", "uid"], mapType: "atomic" },
  ),
  [meta("ManagedFieldsEntry")]: object(
    {
      manager: string("The name of the workflow (field manager) that owns these fields."),
      operation: string("The kind of request that recorded this entry: Apply or Update."),
      apiVersion: string("The API version the field set refers to."),
      time: time("When the entry was last changed."),
      fieldsType: string("The format of fieldsV1; only FieldsV1 exists."),
      fieldsV1: ref(meta("FieldsV1"), "The fields this manager owns."),
      subresource: string("The subresource the request was made on (status, scale), or empty."),
    },
    "Records the set of fields owned by one manager for one operation and version.",
  ),
  [meta("LabelSelector")]: object(
    {
      matchLabels: stringMap("Labels that must all match exactly; each pair is an In requirement with one value."),
      matchExpressions: array(ref(meta("LabelSelectorRequirement")), "Set-based requirements that must all hold.", {
        listType: "atomic",
      }),
    },
    "Selects objects by label. All requirements must hold; an empty selector matches everything, a missing one nothing.",
    { mapType: "atomic" },
  ),
  [meta("LabelSelectorRequirement")]: object(
    {
      key: string("The label key the requirement applies to."),
      operator: string("How the key relates to the values: In, NotIn, Exists or DoesNotExist."),
      values: array(
        string(),
        "Values for In and NotIn (must not be empty); must be empty for Exists and DoesNotExist.",
        { listType: "atomic" },
      ),
    },
    "One set-based label requirement.",
    { required: ["key", "operator"] },
  ),
  [meta("Condition")]: object(
    {
      type: string("The condition's type in CamelCase, such as Available or Ready."),
      status: string("True, False or Unknown."),
      observedGeneration: int64("The metadata.generation the condition was computed from."),
      lastTransitionTime: time("When the status last changed."),
      reason: string("A short CamelCase reason for the last transition."),
      message: string("A human-readable explanation of the last transition."),
    },
    "One aspect of an object's current state.",
    { required: ["type", "status", "lastTransitionTime", "reason", "message"] },
  ),
};
