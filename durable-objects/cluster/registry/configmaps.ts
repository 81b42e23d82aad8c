// core/v1 ConfigMap: key rules, the 1 MiB size limit and `immutable`
// (ValidateConfigMap / ValidateConfigMapUpdate in pkg/apis/core/validation).
import { type FieldError, forbidden, invalid } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { sameJson, tooLong, utf8Length } from "./meta.ts";
import type { ResourceKind } from "./types.ts";

/** core.MaxSecretSize, shared by config maps and secrets. */
export const MAX_DATA_SIZE = 1024 * 1024;

const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** validation.IsConfigMapKey, with upstream's messages. */
export function configKeyProblems(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push("must be no more than 253 characters");
  if (!CONFIG_KEY_RE.test(key))
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  if (key === ".") errs.push("must not be '.'");
  else if (key === "..") errs.push("must not be '..'");
  else if (key.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

export function keyErrors(map: Record<string, unknown> | undefined, field: string): FieldError[] {
  return Object.keys(map ?? {}).flatMap((k) => configKeyProblems(k).map((msg) => invalid(`${field}[${k}]`, k, msg)));
}

/** Decoded size of base64 text (binaryData and secret data travel base64-encoded). */
export function base64Size(text: string): number {
  const clean = text.replace(/[\r\n]/g, "");
  const pad = clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

/** The `immutable: true` rules shared with secrets. */
export function immutableDataErrors(o: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (o.immutable !== true) errs.push(forbidden("immutable", "field is immutable when `immutable` is set"));
  for (const f of fields)
    if (!sameJson(o[f] ?? {}, old[f] ?? {})) errs.push(forbidden(f, "field is immutable when `immutable` is set"));
  return errs;
}

type StringMap = Record<string, string> | undefined;

function validateConfigMap(o: KubeObject): FieldError[] {
  const data = o.data as StringMap;
  const binary = o.binaryData as StringMap;
  const errs = keyErrors(data, "data");
  for (const k of Object.keys(data ?? {}))
    if (binary && k in binary) errs.push(invalid(`data[${k}]`, k, "duplicate of key present in binaryData"));
  errs.push(...keyErrors(binary, "binaryData"));
  let size = 0;
  for (const v of Object.values(data ?? {})) size += utf8Length(String(v));
  for (const v of Object.values(binary ?? {})) size += base64Size(String(v));
  // Upstream reports the size against the whole object: an empty field path.
  if (size > MAX_DATA_SIZE) errs.push(tooLong("", MAX_DATA_SIZE));
  return errs;
}

const dataCount = (o: KubeObject): number =>
  Object.keys((o.data as object) ?? {}).length + Object.keys((o.binaryData as object) ?? {}).length;

export const configMaps: ResourceKind = {
  group: "",
  version: "v1",
  kind: "ConfigMap",
  plural: "configmaps",
  singular: "configmap",
  namespaced: true,
  shortNames: ["cm"],
  nameRule: "subdomain",
  columns: [
    column(
      "Data",
      "string",
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.",
      dataCount,
    ),
    ageColumn,
  ],
  validate: validateConfigMap,
  validateUpdate: (o, old) => immutableDataErrors(o, old, ["data", "binaryData"]),
};
