// What the API needs to know about one kind of resource. Everything that differs between
// kinds lives in one ResourceKind value per file in this folder, never in API branches.
import type { FieldError } from "../../../kube/field-errors.ts";
import type { PodSpec } from "../../../kube/pod-types.ts";
import type { JSONSchemaProps } from "../../../kube/schema/json-schema.ts";
import type { KubeObject, TableColumnDefinition } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";

export interface PrintContext {
  /** Milliseconds since the epoch, for AGE-style columns. */
  now: number;
}

export interface Column extends TableColumnDefinition {
  cell(obj: KubeObject, ctx: PrintContext): unknown;
}

/** The scale subresource (autoscaling/v1 Scale) of a workload kind. */
export interface ScaleAccess {
  /** The label selector in string form, as Scale.status.selector carries it. */
  selector(obj: KubeObject): string | undefined;
  /** Where the replicas are when not at spec.replicas / status.replicas (a CRD's scale paths). */
  replicas?(obj: KubeObject): number;
  statusReplicas?(obj: KubeObject): number;
  setReplicas?(obj: KubeObject, replicas: number): void;
}

export type NameRule = "subdomain" | "label" | "path-segment";

/** How a version is served from objects stored in another version (autoscaling/v1 HPAs from v2). */
export interface VersionConversion {
  /** The stored version: defaults, validation, tables and the store key are its own. */
  storage: ResourceKind;
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

export interface ResourceKind {
  group: string; // "" for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Discovery categories; "all" puts the kind into `kubectl get all`. */
  categories?: string[];
  /** Which rule metadata.name must follow (upstream's per-kind ValidateXName). */
  nameRule: NameRule;
  /** Subresources served besides the object itself. */
  subresources?: {
    status?: boolean;
    scale?: ScaleAccess;
    binding?: boolean;
    eviction?: boolean;
    token?: boolean;
    /** pods/ephemeralcontainers: writes change only spec.ephemeralContainers, checked by this instead of validateUpdate. */
    ephemeralcontainers?: { validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] };
  };
  /** Whether a spec change increments metadata.generation (kinds with a spec and status do). */
  tracksGeneration?: boolean;
  /** Server-side Table columns after NAME, in upstream's order; priority 1 means `-o wide` only. */
  columns: Column[];
  /** Field-selector fields beyond metadata.name and metadata.namespace, as upstream supports them. */
  fields?: Record<string, (obj: KubeObject) => string>;
  /** Fills upstream's defaults in place; runs on create and update. */
  defaults?(obj: KubeObject): void;
  /** Resets what a client may not set on create (e.g. status), before validation. */
  prepareForCreate?(obj: KubeObject): void;
  /** Validation of the kind's own fields (metadata is validated generically). */
  validate?(obj: KubeObject): FieldError[];
  /** Checks only a create makes (upstream's ValidateXCreate), after `validate`. */
  validateCreate?(obj: KubeObject): FieldError[];
  /** Extra validation on update: immutable fields and allowed transitions. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Seconds a delete waits before the object goes (pods bound to a node wait for their
   * kubelet); undefined or 0 removes the object at once.
   */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number | undefined;
  /** Refuses a delete of this object by throwing a StatusError (upstream's delete admission). */
  admitDelete?(obj: KubeObject): void;
  /**
   * Values chosen against every other object of the cluster, which one object cannot see by itself
   * (a Service's cluster IPs and node ports): filled in or checked on create and update (`old` set).
   */
  allocate?(ctx: ApiContext, obj: KubeObject, old?: KubeObject): FieldError[];
  /** Writes that follow a create in its transaction, as upstream's controllers would make them at once. */
  afterCreate?(ctx: ApiContext, created: KubeObject): void;
  /**
   * Deletion of the kind's own kind instead of the generic one (a namespace turns Terminating and goes
   * once its contents have gone): returns the object's state; the kind also removes it when done.
   */
  beginDeletion?(ctx: ApiContext, obj: KubeObject): KubeObject;
  /** Objects read from outside the store (node leases, from the heartbeat table), in `namespace` or all. */
  unstoredObjects?(ctx: ApiContext, namespace: string | undefined): KubeObject[];
  /** The pod spec a workload makes its pods from (Pod Security warns about it as about a pod). */
  podTemplate?(obj: KubeObject): PodSpec | undefined;
  /**
   * Fields of `obj` the kind's own schema does not specify (a custom resource's structural schema),
   * removed when `prune`; built-ins leave this to their kube/schema definition.
   */
  unknownFields?(obj: unknown, prune: boolean): string[];
  /** The kind's OpenAPI v3 schema when it is not one of kube/schema's definitions (custom resources). */
  openAPISchema?: JSONSchemaProps;
  /** A Warning sent with every request to this version (a CRD version marked deprecated). */
  deprecationWarning?: string;
  /**
   * False for kinds with no protobuf tables (kube/protobuf/messages): clients send them as JSON. The
   * kubectl build the tables come from carries no apiextensions descriptors, and custom resources
   * have no protobuf form upstream either.
   */
  protobuf?: false;
  /** Set on a version served as a conversion of another's stored objects (see api/conversion.ts). */
  conversion?: VersionConversion;
}
