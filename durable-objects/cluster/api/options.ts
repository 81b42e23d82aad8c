// Query parameters of the Kubernetes API (metav1.ListOptions, CreateOptions, DeleteOptions …)
// read once into typed values, with upstream's errors for values that do not parse.
import { badRequest } from "../../../kube/status.ts";
import type { DeleteOptions, WriteOptions } from "../writes/options.ts";

export interface ListOptions {
  labelSelector: string;
  fieldSelector: string;
  limit: number;
  continueToken: string;
  resourceVersion: string;
  watch: boolean;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean | undefined;
  timeoutSeconds: number | undefined;
}

/** Upstream's default field manager: the user agent up to its first "/" (kubectl/v1.32 → kubectl). */
export function managerFromUserAgent(userAgent: string | null): string {
  return (userAgent ?? "").split("/")[0].slice(0, 128) || "unknown";
}

function integer(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw))
    throw badRequest(`invalid value for ${name}: ${raw}: strconv.ParseInt: parsing "${raw}": invalid syntax`);
  return Number(raw);
}

/**
 * A boolean query parameter as upstream's query conversion reads it (Convert_Slice_string_To_bool): absent is
 * unset, "0" and "false" in any case are false, and every other value — "True" as the Python client sends it,
 * "yes", even an empty `?watch=` — is true.
 */
export function queryBool(params: URLSearchParams, name: string): boolean | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  return !(raw === "0" || raw.toLowerCase() === "false");
}

export function listOptions(params: URLSearchParams): ListOptions {
  const limit = integer(params, "limit") ?? 0;
  return {
    labelSelector: params.get("labelSelector") ?? "",
    fieldSelector: params.get("fieldSelector") ?? "",
    limit: Math.max(limit, 0),
    continueToken: params.get("continue") ?? "",
    resourceVersion: params.get("resourceVersion") ?? "",
    watch: queryBool(params, "watch") ?? false,
    allowWatchBookmarks: queryBool(params, "allowWatchBookmarks") ?? false,
    sendInitialEvents: queryBool(params, "sendInitialEvents"),
    timeoutSeconds: integer(params, "timeoutSeconds"),
  };
}

export function writeOptions(params: URLSearchParams, userAgent: string | null = null): WriteOptions {
  const dryRun = params.getAll("dryRun");
  for (const value of dryRun)
    if (value !== "All") throw badRequest(`dryRun: Unsupported value: "${value}": supported values: "All"`);
  const validation = params.get("fieldValidation") ?? "";
  if (!["", "Strict", "Warn", "Ignore"].includes(validation))
    throw badRequest(
      `fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`,
    );
  const manager = params.get("fieldManager") ?? "";
  if (manager.length > 128) throw badRequest("fieldManager: Too long: may not be more than 128 bytes");
  return {
    dryRun: dryRun.length > 0,
    fieldManager: manager || managerFromUserAgent(userAgent),
    fieldValidation: validation as WriteOptions["fieldValidation"],
    force: queryBool(params, "force") ?? false,
  };
}

const policies = ["Orphan", "Background", "Foreground"];

/** DeleteOptions come from the body (kubectl sends one) and may be overridden by the query. */
export function deleteOptions(params: URLSearchParams, body: unknown, userAgent: string | null = null): DeleteOptions {
  const fromBody = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const grace = integer(params, "gracePeriodSeconds") ?? (fromBody.gracePeriodSeconds as number | undefined);
  let policy = (params.get("propagationPolicy") ?? fromBody.propagationPolicy) as string | undefined;
  const orphan = queryBool(params, "orphanDependents") ?? (fromBody.orphanDependents as boolean | undefined);
  if (policy === undefined && orphan !== undefined) policy = orphan ? "Orphan" : "Background";
  if (policy !== undefined && !policies.includes(policy))
    throw badRequest(
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  const bodyDryRun = Array.isArray(fromBody.dryRun) ? (fromBody.dryRun as string[]) : [];
  const merged = new URLSearchParams(params);
  for (const v of bodyDryRun) merged.append("dryRun", v);
  return {
    ...writeOptions(merged, userAgent),
    gracePeriodSeconds: grace,
    propagationPolicy: policy as DeleteOptions["propagationPolicy"],
    preconditions: fromBody.preconditions as DeleteOptions["preconditions"],
  };
}
