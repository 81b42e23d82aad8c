// The kinds one Established CustomResourceDefinition serves: one table entry per served version,
// the storage version's entry holding the objects and every other version a conversion of it
// (strategy None: only apiVersion changes, as upstream's nopConverter). Schema, defaults, pruning,
// printer columns and subresources are the entry's fields, built here once per CRD revision.
import { methodNotAllowed } from "../../../kube/status.ts";
import type { JSONSchemaProps } from "../../../kube/schema/json-schema.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ResourceKind, ScaleAccess } from "../registry/types.ts";
import { setAt, valueAt } from "./jsonpath.ts";
import { type PrinterColumn, printerColumns } from "./printer-columns.ts";
import { validateValue } from "./schema-validate.ts";
import { applyDefaults, unknownFields } from "./schema-prune.ts";

export interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: PrinterColumn[];
}

export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: "Namespaced" | "Cluster";
  versions: CrdVersion[];
}

const EMPTY_SCHEMA: JSONSchemaProps = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

function scaleAccess(scale: NonNullable<CrdVersion["subresources"]>["scale"]): ScaleAccess | undefined {
  if (!scale) return undefined;
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  return {
    selector: (o) => {
      const s = scale.labelSelectorPath ? valueAt(scale.labelSelectorPath, o) : undefined;
      return typeof s === "string" ? s : undefined;
    },
    replicas: (o) => num(valueAt(scale.specReplicasPath, o)),
    statusReplicas: (o) => num(valueAt(scale.statusReplicasPath, o)),
    setReplicas: (o, n) => setAt(scale.specReplicasPath, o as Record<string, unknown>, n),
  };
}

/** Validation of a custom resource: its schema below metadata (metadata is validated as every object's is). */
function validator(schema: JSONSchemaProps) {
  const { metadata: _m, ...rest } = schema.properties ?? {};
  const body: JSONSchemaProps = { ...schema, properties: rest };
  return (obj: KubeObject) => {
    const { metadata: _meta, ...fields } = obj;
    return validateValue(body, fields, "");
  };
}

function deprecation(group: string, kind: string, v: CrdVersion): string | undefined {
  if (!v.deprecated) return undefined;
  return v.deprecationWarning ?? `${group}/${v.name} ${kind} is deprecated`;
}

function versionKind(spec: CrdSpec, v: CrdVersion, terminating: boolean): ResourceKind {
  const schema = v.schema?.openAPIV3Schema ?? EMPTY_SCHEMA;
  const status = v.subresources?.status !== undefined;
  const scale = scaleAccess(v.subresources?.scale);
  return {
    group: spec.group,
    version: v.name,
    kind: spec.names.kind,
    plural: spec.names.plural,
    singular: spec.names.singular || spec.names.kind.toLowerCase(),
    namespaced: spec.scope === "Namespaced",
    ...(spec.names.shortNames?.length ? { shortNames: spec.names.shortNames } : {}),
    ...(spec.names.categories?.length ? { categories: spec.names.categories } : {}),
    nameRule: "subdomain",
    protobuf: false,
    ...(status || scale ? { subresources: { ...(status ? { status: true } : {}), ...(scale ? { scale } : {}) } } : {}),
    tracksGeneration: true,
    columns: printerColumns(v.additionalPrinterColumns),
    defaults: (obj) => applyDefaults(schema, obj),
    prepareForCreate: (obj) => {
      if (terminating) throw methodNotAllowed(`create not allowed while custom resource definition is terminating`);
      if (status) delete obj.status;
    },
    validate: validator(schema),
    unknownFields: (obj, prune) => unknownFields(schema, obj, prune),
    openAPISchema: schema,
    ...(deprecation(spec.group, spec.names.kind, v)
      ? { deprecationWarning: deprecation(spec.group, spec.names.kind, v) }
      : {}),
  };
}

/** Only apiVersion differs between versions under conversion strategy None. */
function asVersion(apiVersion: string) {
  return (obj: KubeObject): KubeObject => ({ ...obj, apiVersion });
}

/** The table entries of a CRD: the storage version first, then the other served versions. */
export function customKinds(crd: KubeObject): ResourceKind[] {
  const spec = crd.spec as CrdSpec;
  const terminating = crd.metadata.deletionTimestamp !== undefined;
  const storageVersion = spec.versions.find((v) => v.storage) ?? spec.versions[0];
  const storage = versionKind(spec, storageVersion, terminating);
  const out: ResourceKind[] = [storage];
  for (const v of spec.versions) {
    if (v === storageVersion || v.served === false) continue;
    const kind = versionKind(spec, v, terminating);
    kind.conversion = {
      storage,
      toStorage: asVersion(`${spec.group}/${storageVersion.name}`),
      fromStorage: asVersion(`${spec.group}/${v.name}`),
    };
    out.push(kind);
  }
  return out;
}
