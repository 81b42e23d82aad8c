// ValidateCustomResourceDefinition (apiextensions-apiserver pkg/apis/apiextensions/validation): names,
// scope, versions and the structural-schema rules CRs depend on, with upstream's paths and messages.
// Pathological schemas are bounded here (depth; patterns must compile as RE2), so no CR write can hang.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isDNS1035Label, isDNS1123Subdomain } from "../../../kube/names.ts";
import type { JSONSchemaProps } from "../../../kube/schema/json-schema.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { CrdNames, CrdSpec, CrdVersion } from "../crd/custom-kinds.ts";
import { parsePath } from "../crd/jsonpath.ts";
import { patternProblem } from "../crd/schema-patterns.ts";
import { ruleProblem, type ValidationRule } from "../crd/schema-rules.ts";

/** How deeply a schema may nest; real CRDs stay far below, and every walk over a CR is bounded by it. */
export const MAX_SCHEMA_DEPTH = 64;
const COLUMN_TYPES = ["integer", "number", "string", "boolean", "date"];
const SCHEMA_TYPES = ["object", "array", "string", "integer", "number", "boolean"];

function namesErrors(names: CrdNames, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const label = (field: string, value: string | undefined, mixed = false) => {
    if (!value) return;
    const problems = isDNS1035Label(mixed ? value.toLowerCase() : value);
    if (problems.length)
      errs.push(
        invalid(
          `${path}.${field}`,
          value,
          (mixed ? "may have mixed case, but should otherwise match: " : "") + problems.join(","),
        ),
      );
  };
  if (!names.plural) errs.push(required(`${path}.plural`));
  if (!names.singular) errs.push(required(`${path}.singular`));
  if (!names.kind) errs.push(required(`${path}.kind`));
  if (!names.listKind) errs.push(required(`${path}.listKind`));
  label("plural", names.plural);
  label("singular", names.singular);
  label("kind", names.kind, true);
  label("listKind", names.listKind, true);
  for (const [i, s] of (names.shortNames ?? []).entries()) label(`shortNames[${i}]`, s);
  for (const [i, c] of (names.categories ?? []).entries()) label(`categories[${i}]`, c);
  if (names.kind && names.kind === names.listKind)
    errs.push(invalid(`${path}.listKind`, names.listKind, "kind and listKind may not be the same"));
  return errs;
}

function schemaErrors(s: JSONSchemaProps, path: string, depth: number, specified: boolean): FieldError[] {
  if (depth > MAX_SCHEMA_DEPTH) return [forbidden(path, `must not nest deeper than ${MAX_SCHEMA_DEPTH} levels`)];
  const errs: FieldError[] = [];
  const open = s["x-kubernetes-preserve-unknown-fields"] === true || s["x-kubernetes-int-or-string"] === true;
  if (s.type === undefined && specified && !open)
    errs.push(required(`${path}.type`, "must not be empty for specified object fields"));
  if (s.type !== undefined && !SCHEMA_TYPES.includes(s.type))
    errs.push(notSupported(`${path}.type`, s.type, SCHEMA_TYPES));
  if (s.uniqueItems)
    errs.push(
      forbidden(
        `${path}.uniqueItems`,
        "uniqueItems cannot be set to true since the runtime complexity becomes quadratic",
      ),
    );
  if ((s as Record<string, unknown>).$ref !== undefined) errs.push(forbidden(`${path}.$ref`, "$ref is not supported"));
  if (
    s.properties &&
    Object.keys(s.properties).length > 0 &&
    s.additionalProperties !== undefined &&
    s.additionalProperties !== true
  )
    errs.push(forbidden(`${path}.additionalProperties`, "additionalProperties and properties are mutual exclusive"));
  if (s.type === "array" && s.items === undefined) errs.push(required(`${path}.items`, "must be specified"));
  if (s.pattern !== undefined) {
    const problem = patternProblem(s.pattern);
    if (problem) errs.push(invalid(`${path}.pattern`, s.pattern, problem));
  }
  for (const [i, rule] of (s["x-kubernetes-validations"] ?? []).entries()) {
    const problem = ruleProblem(rule as ValidationRule);
    if (problem)
      errs.push(invalid(`${path}.x-kubernetes-validations[${i}].rule`, (rule as ValidationRule)?.rule ?? "", problem));
  }
  for (const [name, sub] of Object.entries(s.properties ?? {}))
    errs.push(...schemaErrors(sub, `${path}.properties[${name}]`, depth + 1, true));
  if (typeof s.additionalProperties === "object")
    errs.push(...schemaErrors(s.additionalProperties, `${path}.additionalProperties`, depth + 1, true));
  if (s.items) errs.push(...schemaErrors(s.items, `${path}.items`, depth + 1, true));
  for (const key of ["allOf", "anyOf", "oneOf"] as const)
    for (const [i, sub] of (s[key] ?? []).entries())
      errs.push(...schemaErrors(sub, `${path}.${key}[${i}]`, depth + 1, false));
  if (s.not) errs.push(...schemaErrors(s.not, `${path}.not`, depth + 1, false));
  return errs;
}

function subresourceErrors(v: CrdVersion, path: string): FieldError[] {
  const scale = v.subresources?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  const check = (field: string, value: string | undefined, under: string) => {
    if (!value) return errs.push(required(`${path}.scale.${field}`));
    if (!parsePath(value)) return errs.push(invalid(`${path}.scale.${field}`, value, "must be a simple json path"));
    if (!value.startsWith(`.${under}.`))
      errs.push(invalid(`${path}.scale.${field}`, value, `should be a json path under .${under}`));
  };
  check("specReplicasPath", scale.specReplicasPath, "spec");
  check("statusReplicasPath", scale.statusReplicasPath, "status");
  if (scale.labelSelectorPath) check("labelSelectorPath", scale.labelSelectorPath, "status");
  return errs;
}

function versionErrors(v: CrdVersion, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const problems = isDNS1035Label(v.name ?? "");
  if (problems.length) errs.push(invalid(`${path}.name`, v.name ?? "", problems.join(",")));
  const schema = v.schema?.openAPIV3Schema;
  if (!schema) errs.push(required(`${path}.schema.openAPIV3Schema`, "schemas are required"));
  else {
    errs.push(...schemaErrors(schema, `${path}.schema.openAPIV3Schema`, 0, false));
    if (schema.type !== "object")
      errs.push(invalid(`${path}.schema.openAPIV3Schema.type`, schema.type ?? "", "must be object at the root"));
  }
  errs.push(...subresourceErrors(v, `${path}.subresources`));
  (v.additionalPrinterColumns ?? []).forEach((c, i) => {
    const at = `${path}.additionalPrinterColumns[${i}]`;
    if (!c.name) errs.push(required(`${at}.name`));
    if (!COLUMN_TYPES.includes(c.type)) errs.push(notSupported(`${at}.type`, c.type, COLUMN_TYPES));
    if (!c.jsonPath) errs.push(required(`${at}.JSONPath`));
    else if (!parsePath(c.jsonPath)) errs.push(invalid(`${at}.JSONPath`, c.jsonPath, "must be a simple json path"));
  });
  return errs;
}

export function validateCrd(crd: KubeObject): FieldError[] {
  const spec = (crd.spec ?? {}) as CrdSpec & { conversion?: { strategy?: string } };
  const errs: FieldError[] = [];
  const names = spec.names ?? ({} as CrdNames);
  if (crd.metadata.name !== `${names.plural}.${spec.group}`)
    errs.push(invalid("metadata.name", crd.metadata.name ?? "", 'must be spec.names.plural+"."+spec.group'));
  if (!spec.group) errs.push(required("spec.group"));
  else if (isDNS1123Subdomain(spec.group).length)
    errs.push(invalid("spec.group", spec.group, isDNS1123Subdomain(spec.group).join(",")));
  else if (!spec.group.includes("."))
    errs.push(invalid("spec.group", spec.group, "should be a domain with at least one dot"));
  if (!spec.scope) errs.push(required("spec.scope"));
  else if (spec.scope !== "Namespaced" && spec.scope !== "Cluster")
    errs.push(notSupported("spec.scope", spec.scope, ["Cluster", "Namespaced"]));
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) errs.push(required("spec.versions"));
  for (const [i, v] of versions.entries()) errs.push(...versionErrors(v, `spec.versions[${i}]`));
  if (new Set(versions.map((v) => v.name)).size !== versions.length)
    errs.push(invalid("spec.versions", versions, "must contain unique version names"));
  if (versions.filter((v) => v.storage).length !== 1)
    errs.push(invalid("spec.versions", versions, "must have exactly one version marked as storage version"));
  const strategy = spec.conversion?.strategy ?? "None";
  // Conversion webhooks would call out of the cluster object; only None is served.
  if (strategy !== "None") errs.push(notSupported("spec.conversion.strategy", strategy, ["None"]));
  errs.push(...namesErrors(names, "spec.names"));
  return errs;
}

export function validateCrdUpdate(crd: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = (field: string, a: unknown, b: unknown) => {
    if (a !== b) errs.push(invalid(field, a, "field is immutable"));
  };
  immutable("spec.group", crd.spec?.group, old.spec?.group);
  immutable("spec.names.plural", crd.spec?.names?.plural, old.spec?.names?.plural);
  immutable("spec.scope", crd.spec?.scope, old.spec?.scope);
  return errs;
}
