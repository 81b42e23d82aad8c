// Serving a version as a conversion of another version's stored objects (autoscaling/v1 HPAs
// from autoscaling/v2), around the ordinary verbs: request bodies are converted into the storage
// version, the storage kind's handler runs (defaults, validation, store, tables are its own), and
// objects in the answer — single, lists, table rows, watch events — are converted back. Patches
// apply to the served version's view of the stored object, as upstream patches the request version.
import { mediaType, parseDocument, readBody } from "./decode.ts";
import { bodyTypeOf, decodeObject } from "../writes/decode.ts";
import type { FieldValidationMode } from "../writes/field-validation.ts";
import { queryBool } from "./options.ts";
import { APPLY_PATCH_TYPE, checkPatchType, patchObject } from "../writes/patch.ts";
import { notFound } from "../../../kube/status.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { apiVersionOf, resourceId } from "../registry/lookup.ts";
import type { ResourceKind, VersionConversion } from "../registry/types.ts";
import type { ApiContext } from "../context.ts";
import type { ResourceTarget } from "./paths.ts";

export type ResourceHandler = (ctx: ApiContext, request: Request, t: ResourceTarget) => Promise<Response>;

function jsonRequest(request: Request, method: string, body: unknown, type = "application/json"): Request {
  const headers = new Headers(request.headers);
  headers.set("content-type", type);
  headers.delete("content-length");
  return new Request(request.url, { method, headers, body: JSON.stringify(body) });
}

const fieldValidation = (request: Request) =>
  (new URL(request.url).searchParams.get("fieldValidation") ?? "") as FieldValidationMode;

/** A served-version body, decoded typed as that version, as a storage-version object. */
async function convertedBody(request: Request, kind: ResourceKind, conversion: VersionConversion, type: string) {
  const text = await readBody(request);
  return conversion.toStorage(decodeObject(kind, parseDocument(text, type), text, fieldValidation(request)).obj);
}

/** PATCH of the served version: patch its view of the stored object, then replace (PUT) in storage form. */
async function patchRequest(ctx: ApiContext, request: Request, t: ResourceTarget, conversion: VersionConversion) {
  const type = mediaType(request);
  checkPatchType(type, t.kind);
  if (type === APPLY_PATCH_TYPE && t.subresource === undefined) {
    // Server-side apply: the configuration itself is converted (field ownership is then kept in storage terms).
    return jsonRequest(request, "PATCH", await convertedBody(request, t.kind, conversion, type), APPLY_PATCH_TYPE);
  }
  const text = await readBody(request);
  const patch = parseDocument(text, type);
  const stored = ctx.store.get(resourceId(conversion.storage), t.namespace, t.name!);
  if (!stored) throw notFound(t.kind.group, t.kind.plural, t.name!);
  const body = { bodyType: bodyTypeOf(t.kind), rawText: text, mode: fieldValidation(request), name: t.name! };
  const patched = patchObject(type, conversion.fromStorage(stored.object), patch, t.kind, body).obj;
  const next = conversion.toStorage(patched);
  // The stored resourceVersion came with the view: only a patch that changed it is a precondition.
  if (next.metadata?.resourceVersion === stored.object.metadata.resourceVersion) delete next.metadata.resourceVersion;
  return jsonRequest(request, "PUT", next);
}

async function storageRequest(ctx: ApiContext, request: Request, t: ResourceTarget): Promise<Request> {
  const conversion = t.kind.conversion!;
  const writesObject = (request.method === "POST" && t.name === undefined) || request.method === "PUT";
  if (writesObject)
    return jsonRequest(request, request.method, await convertedBody(request, t.kind, conversion, mediaType(request)));
  if (request.method === "PATCH" && t.name !== undefined) return patchRequest(ctx, request, t, conversion);
  return request;
}

/** Converts every stored-version object in an answer body (object, list, table, watch event). */
function convertValue(value: LooseObject, served: ResourceKind, conversion: VersionConversion): LooseObject {
  const storageVersion = apiVersionOf(conversion.storage);
  const isStored = (o: LooseObject | null | undefined) => o?.kind === served.kind && o?.apiVersion === storageVersion;
  if (isStored(value)) return conversion.fromStorage(value as KubeObject);
  if (value.type && value.object) {
    const object = value.object as LooseObject;
    if (value.type === "BOOKMARK") return { ...value, object: { ...object, apiVersion: apiVersionOf(served) } };
    return { ...value, object: convertValue(object, served, conversion) };
  }
  if (value.kind === `${served.kind}List`)
    return {
      ...value,
      apiVersion: apiVersionOf(served),
      items: (value.items ?? []).map((i: LooseObject) => convertValue(i, served, conversion)),
    };
  if (value.kind === "Table")
    return {
      ...value,
      rows: (value.rows ?? []).map((r: LooseObject) =>
        isStored(r.object) ? { ...r, object: conversion.fromStorage(r.object) } : r,
      ),
    };
  return value;
}

function watchLines(
  body: ReadableStream<Uint8Array>,
  convert: (v: LooseObject) => LooseObject,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines)
          if (line.trim()) controller.enqueue(encoder.encode(`${JSON.stringify(convert(JSON.parse(line)))}\n`));
      },
    }),
  );
}

function isWatch(request: Request, t: ResourceTarget): boolean {
  return t.legacyWatch || queryBool(new URL(request.url).searchParams, "watch") === true;
}

/** Answers a request on a converted version through the storage version's handler. */
export async function handleConverted(
  ctx: ApiContext,
  request: Request,
  t: ResourceTarget,
  handle: ResourceHandler,
): Promise<Response> {
  const conversion = t.kind.conversion!;
  const response = await handle(ctx, await storageRequest(ctx, request, t), { ...t, kind: conversion.storage });
  if (!response.ok || !response.body) return response;
  const convert = (v: LooseObject) => convertValue(v, t.kind, conversion);
  if (request.method === "GET" && t.name === undefined && isWatch(request, t))
    return new Response(watchLines(response.body, convert), response);
  const body = convert(JSON.parse(await response.text()));
  return new Response(JSON.stringify(body), response);
}
