// Reading a JSON request body safely: the content type first, the size limit before a byte is
// parsed (declared length, then counted while streaming, for bodies sent without a length),
// then JSON.parse, then "must be an object".
import { discardBody, readCapped } from "../../kube/http/read-capped.ts";
import { badRequest, payloadTooLarge, unsupportedMediaType } from "./errors.ts";

/** Every /v1 body is a handful of short fields. */
export const MAX_BODY_BYTES = 16 * 1024;

function isJsonType(contentType: string | null): boolean {
  const mediaType = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

export { discardBody };

/**
 * The request's JSON object. `optional`: an empty body (no bytes at all) reads as `{}`;
 * bytes without a JSON content type are still refused.
 */
export async function readJsonObject(
  request: Request,
  opts: { optional?: boolean; limit?: number } = {},
): Promise<Record<string, unknown>> {
  const limit = opts.limit ?? MAX_BODY_BYTES;
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await discardBody(request);
    throw payloadTooLarge(limit);
  }
  const bytes = request.body ? await readCapped(request.body, limit) : new Uint8Array(0);
  if (bytes === null) throw payloadTooLarge(limit);
  if (bytes.byteLength === 0) {
    if (opts.optional) return {};
    throw badRequest("a JSON object body is required");
  }
  if (!isJsonType(request.headers.get("content-type"))) throw unsupportedMediaType();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw badRequest("request body is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw badRequest("request body must be a JSON object");
  return value as Record<string, unknown>;
}
