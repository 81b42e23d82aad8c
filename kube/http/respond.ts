// Writing responses: JSON bodies, Status errors with their HTTP code, and the headers
// streaming responses need.
import { internalError, StatusError } from "../status.ts";

export function json(body: unknown, status = 200, contentType = "application/json"): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": contentType },
  });
}

export function errorResponse(err: unknown): Response {
  const status = err instanceof StatusError ? err : internalError(err instanceof Error ? err.message : String(err));
  if (!(err instanceof StatusError)) console.error("unexpected error", err);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (status.details?.retryAfterSeconds) headers["retry-after"] = String(status.details.retryAfterSeconds);
  return new Response(JSON.stringify(status.toStatus()), { status: status.code, headers });
}

/** A watch stream: never compressed, so each event reaches Go clients as it is written. */
export function stream(body: ReadableStream<Uint8Array>, contentType: string): Response {
  return new Response(body, {
    status: 200,
    headers: { "content-type": contentType, "content-encoding": "identity", "cache-control": "no-cache" },
  });
}
