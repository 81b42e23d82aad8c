// pods/log query parameters (upstream PodLogOptions) and their validation (ValidatePodLogOptions): a 422
// Invalid for kind PodLogOptions, as the apiserver answers.
import { type FieldError, invalid as invalidField } from "../../../kube/field-errors.ts";
import { badRequest, invalid } from "../../../kube/status.ts";

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339, as sent; `since` below is the moment either since* names. */
  sinceTime?: string;
  limitBytes?: number;
}

const TRUE = new Set(["true", "1", "t", "T", "TRUE", "True"]);

function integer(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`${name}: Invalid value: "${raw}": must be an integer`);
  return Number(raw);
}

export function parseLogOptions(podName: string, params: URLSearchParams): PodLogOptions {
  const options: PodLogOptions = {
    container: params.get("container") || undefined,
    follow: TRUE.has(params.get("follow") ?? ""),
    previous: TRUE.has(params.get("previous") ?? ""),
    timestamps: TRUE.has(params.get("timestamps") ?? ""),
    tailLines: integer(params, "tailLines"),
    sinceSeconds: integer(params, "sinceSeconds"),
    sinceTime: params.get("sinceTime") || undefined,
    limitBytes: integer(params, "limitBytes"),
  };
  const errors: FieldError[] = [];
  if (options.tailLines !== undefined && options.tailLines < 0)
    errors.push(invalidField("tailLines", options.tailLines, "must be greater than or equal to 0"));
  if (options.limitBytes !== undefined && options.limitBytes < 1)
    errors.push(invalidField("limitBytes", options.limitBytes, "must be greater than 0"));
  if (options.sinceSeconds !== undefined && options.sinceTime !== undefined)
    errors.push(
      invalidField("sinceSeconds", options.sinceSeconds, "at most one of sinceTime or sinceSeconds may be specified"),
    );
  else if (options.sinceSeconds !== undefined && options.sinceSeconds < 1)
    errors.push(invalidField("sinceSeconds", options.sinceSeconds, "must be greater than 0"));
  if (options.sinceTime !== undefined && Number.isNaN(Date.parse(options.sinceTime)))
    throw badRequest(`sinceTime: Invalid value: "${options.sinceTime}": must be an RFC 3339 time`);
  if (errors.length > 0) throw invalid("", "PodLogOptions", podName, errors);
  return options;
}

/** Unix seconds the logs start at, or undefined for all of them. */
export function sinceUnixSeconds(options: PodLogOptions, now: number): number | undefined {
  if (options.sinceSeconds !== undefined) return Math.floor(now / 1000) - options.sinceSeconds;
  if (options.sinceTime !== undefined) return Math.floor(Date.parse(options.sinceTime) / 1000);
  return undefined;
}
