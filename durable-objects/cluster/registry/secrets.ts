// core/v1 Secret: type Opaque by default, stringData folded into data, key and size rules,
// per-type required keys, and immutable type/data (ValidateSecret / ValidateSecretUpdate).
import { type FieldError, invalid, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { base64Size, immutableDataErrors, keyErrors, MAX_DATA_SIZE } from "./configmaps.ts";
import { immutable, tooLong } from "./meta.ts";
import type { ResourceKind } from "./types.ts";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** Standard padded base64 of a string's UTF-8 bytes, as Go encodes []byte in JSON. */
export function base64Encode(text: string): string {
  const bytes = utf8Bytes(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    out += B64[a >> 2] + B64[((a & 3) << 4) | ((b ?? 0) >> 4)];
    out += b === undefined ? "=" : B64[((b & 15) << 2) | ((c ?? 0) >> 6)];
    out += c === undefined ? "=" : B64[c & 63];
  }
  return out;
}

/**
 * Where Go's base64.StdEncoding would reject the text ("illegal base64 data at input byte N"),
 * or -1 when it decodes. Go skips CR and LF.
 */
export function base64ErrorOffset(text: string): number {
  const chars = [...text].map((ch, i) => [ch, i] as const).filter(([ch]) => ch !== "\r" && ch !== "\n");
  const bad = firstBad(chars);
  if (bad !== undefined) return bad;
  // An unfinished final quantum is reported at its start.
  return chars.length % 4 === 0 ? -1 : chars.length - (chars.length % 4);
}

function firstBad(chars: (readonly [string, number])[]): number | undefined {
  for (let i = 0; i < chars.length; i++) {
    const [ch, at] = chars[i];
    if (B64.includes(ch)) continue;
    // Padding is legal only as the last one or two characters of the final quantum.
    const rest = chars.length - i;
    if (ch === "=" && (rest === 1 || (rest === 2 && chars[i + 1][0] === "=")) && i % 4 >= 2) continue;
    return at;
  }
  return undefined;
}

type Data = Record<string, string> | undefined;

function dataErrors(data: Data): FieldError[] {
  const errs = keyErrors(data, "data");
  let size = 0;
  for (const [k, v] of Object.entries(data ?? {})) {
    const bad = base64ErrorOffset(String(v));
    // Upstream fails earlier, while decoding JSON (400); here it is a field error on the key.
    if (bad >= 0)
      errs.push(invalid(`data[${k}]`, "<secret contents redacted>", `illegal base64 data at input byte ${bad}`));
    else size += base64Size(String(v));
  }
  if (size > MAX_DATA_SIZE) errs.push(tooLong("data", MAX_DATA_SIZE));
  return errs;
}

/** Keys each built-in secret type must carry; `any` means one of them suffices. */
const REQUIRED_KEYS: Record<string, { keys: string[]; any?: boolean }> = {
  "kubernetes.io/dockercfg": { keys: [".dockercfg"] },
  "kubernetes.io/dockerconfigjson": { keys: [".dockerconfigjson"] },
  "kubernetes.io/basic-auth": { keys: ["username", "password"], any: true },
  "kubernetes.io/ssh-auth": { keys: ["ssh-privatekey"] },
  "kubernetes.io/tls": { keys: ["tls.crt", "tls.key"] },
};

function typeErrors(o: KubeObject): FieldError[] {
  const type = String(o.type ?? "");
  const data = (o.data as Data) ?? {};
  if (type === "kubernetes.io/service-account-token") {
    const key = "kubernetes.io/service-account.name";
    return o.metadata.annotations?.[key] ? [] : [required(`metadata.annotations[${key}]`)];
  }
  const rule = REQUIRED_KEYS[type];
  if (!rule) return [];
  if (type === "kubernetes.io/ssh-auth") return data["ssh-privatekey"] ? [] : [required("data[ssh-privatekey]")];
  const missing = rule.keys.filter((k) => !(k in data));
  if (rule.any && missing.length < rule.keys.length) return [];
  // Upstream stops at the first missing key for the docker types and checks both for TLS.
  const reported = type === "kubernetes.io/tls" || rule.any ? missing : missing.slice(0, 1);
  return reported.map((k) => required(`data[${k}]`));
}

export const secrets: ResourceKind = {
  group: "",
  version: "v1",
  kind: "Secret",
  plural: "secrets",
  singular: "secret",
  namespaced: true,
  nameRule: "subdomain",
  columns: [
    column("Type", "string", "Used to facilitate programmatic handling of secret data.", (o) => String(o.type ?? "")),
    column(
      "Data",
      "string",
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'.",
      (o) => Object.keys((o.data as object) ?? {}).length,
    ),
    ageColumn,
  ],
  fields: { type: (o) => String(o.type ?? "") },
  defaults(o) {
    if (!o.type) o.type = "Opaque";
    // stringData is write-only: conversion folds it into data, overwriting equal keys.
    const stringData = o.stringData as Data;
    if (stringData && Object.keys(stringData).length > 0) {
      const data: Record<string, string> = { ...((o.data as Data) ?? {}) };
      for (const [k, v] of Object.entries(stringData)) data[k] = base64Encode(String(v));
      o.data = data;
    }
    delete o.stringData;
  },
  validate: (o) => [...dataErrors(o.data as Data), ...typeErrors(o)],
  validateUpdate: (o, old) => [...immutable("type", o.type, old.type), ...immutableDataErrors(o, old, ["data"])],
};
