// Kubernetes Status errors (k8s.io/apimachinery/pkg/api/errors) with upstream's reasons,
// codes and message wording, so that kubectl prints what users already know.
import { type FieldError, fieldErrorText, fieldErrorsText } from "./field-errors.ts";
import type { Status, StatusDetails } from "./types.ts";

export class StatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
  toStatus(): Status {
    return statusFailure(this.code, this.reason, this.message, this.details);
  }
}

export function statusFailure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (details) status.details = details;
  return status;
}

export function statusSuccess(details?: StatusDetails): Status {
  const status: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 200 };
  if (details) status.details = details;
  return status;
}

/** "pods" or "deployments.apps": how upstream names a group-resource in messages. */
export function groupResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const notFound = (group: string, resource: string, name: string) =>
  new StatusError(404, "NotFound", `${groupResource(group, resource)} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const alreadyExists = (group: string, resource: string, name: string) =>
  new StatusError(409, "AlreadyExists", `${groupResource(group, resource)} "${name}" already exists`, {
    name,
    group: group || undefined,
    kind: resource,
  });

export const conflict = (group: string, resource: string, name: string, why: string) =>
  new StatusError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${groupResource(group, resource)} "${name}": ${why}`,
    {
      name,
      group: group || undefined,
      kind: resource,
    },
  );

export const staleConflict = (group: string, resource: string, name: string) =>
  conflict(
    group,
    resource,
    name,
    "the object has been modified; please apply your changes to the latest version and try again",
  );

export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const causes = errors.map((e) => ({
    reason: e.type,
    message: fieldErrorText(e).slice(e.field.length + 2),
    field: e.field,
  }));
  return new StatusError(
    422,
    "Invalid",
    `${groupResource(group, kind)} "${name}" is invalid: ${fieldErrorsText(errors)}`,
    {
      name,
      group: group || undefined,
      kind,
      causes,
    },
  );
}

export const badRequest = (message: string) => new StatusError(400, "BadRequest", message);
export const unauthorized = (message = "Unauthorized") => new StatusError(401, "Unauthorized", message);
export const forbidden = (message: string, details?: StatusDetails) =>
  new StatusError(403, "Forbidden", message, details);
export const methodNotAllowed = (message: string) => new StatusError(405, "MethodNotAllowed", message);
export const notAcceptable = (message: string) => new StatusError(406, "NotAcceptable", message);
export const gone = (message: string) => new StatusError(410, "Expired", message);
export const tooLarge = (message: string) => new StatusError(413, "RequestEntityTooLarge", message);
export const unsupportedMediaType = (message: string) => new StatusError(415, "UnsupportedMediaType", message);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new StatusError(429, "TooManyRequests", message, { retryAfterSeconds });
export const internalError = (message: string) =>
  new StatusError(500, "InternalError", `Internal error occurred: ${message}`);
/**
 * A 404 for a URL that names no resource or subresource: upstream's go-restful fallback
 * (NewGenericServerResponse with no resource), whose `details` is present and empty. kubectl dereferences
 * it: `kubectl debug` tells a missing pods/ephemeralcontainers from a missing pod by `details.name`.
 */
export const pathNotFound = () =>
  new StatusError(404, "NotFound", "the server could not find the requested resource", {});
