// Errors of the public API: JSON `{ "error": { "code", "message", "field"? } }` with the
// right HTTP status. Every failure a client can cause is an ApiError (4xx); anything else
// is a bug, logged and answered 500 without details.

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { field?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, field?: string) =>
  new ApiError(400, "invalid_request", message, field === undefined ? {} : { field });
export const unauthenticated = (message = "a valid account token is required (Authorization: Bearer <token>)") =>
  new ApiError(401, "unauthenticated", message);
export const quotaExceeded = (message: string) => new ApiError(403, "quota_exceeded", message);
export const notFound = (message = "not found") => new ApiError(404, "not_found", message);
export const conflict = (message: string, field?: string) =>
  new ApiError(409, "conflict", message, field === undefined ? {} : { field });
export const payloadTooLarge = (limit: number) =>
  new ApiError(413, "payload_too_large", `request body is larger than ${limit} bytes`);
export const unsupportedMediaType = () =>
  new ApiError(415, "unsupported_media_type", "request body must be JSON (Content-Type: application/json)");
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new ApiError(429, "too_many_requests", message, { retryAfterSeconds });
export const unavailable = (message: string) => new ApiError(503, "unavailable", message);

export function errorJson(err: unknown): Response {
  const e = err instanceof ApiError ? err : new ApiError(500, "internal", "internal error; it has been logged");
  if (!(err instanceof ApiError)) console.error("/v1: unexpected error", err);
  const body: ApiErrorBody = { error: { code: e.code, message: e.message } };
  if (e.options.field !== undefined) body.error.field = e.options.field;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (e.options.retryAfterSeconds !== undefined) headers["retry-after"] = String(e.options.retryAfterSeconds);
  if (e.status === 401) headers["www-authenticate"] = 'Bearer realm="flotilla"';
  return new Response(JSON.stringify(body), { status: e.status, headers });
}
