// The verbs on /api/v1/... and /apis/<group>/<version>/...: get, list, watch, create,
// update, patch, delete and deletecollection, on objects and their subresources.
import { discardBody } from "../../../kube/http/read-capped.ts";
import { methodNotAllowed, pathNotFound } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { StoredEntry } from "../store/object-store.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { mediaType, parseDocument, readBody, readTyped } from "./decode.ts";
import { type BodyType, bodyTypeOf } from "../writes/decode.ts";
import { handleConverted } from "./conversion.ts";
import { deleteObject } from "../writes/delete.ts";
import { subresourcePost } from "./subresource-posts.ts";
import { listEntries, listJson } from "./list.ts";
import { unstoredEntry } from "./unstored.ts";
import { parseAccept, wantsTable } from "./negotiate.ts";
import { deleteOptions, listOptions, writeOptions } from "./options.ts";
import { serverSideApply } from "../writes/apply.ts";
import { warningHeaders } from "../writes/field-validation.ts";
import { APPLY_PATCH_TYPE, checkPatchType, patchObject } from "../writes/patch.ts";
import type { ResourceTarget } from "./paths.ts";
import { json, stream } from "../../../kube/http/respond.ts";
import { selection } from "./selection.ts";
import { type Scale, scaleOf, updateScale } from "../writes/subresources.ts";
import { buildTable, includeObjectOption } from "./table.ts";
import { updateObject } from "../writes/update.ts";
import { watch } from "./watch.ts";
import { notFound } from "../../../kube/status.ts";

const TABLE_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";
const SCALE: BodyType = { apiVersion: "autoscaling/v1", kind: "Scale", definition: "io.k8s.api.autoscaling.v1.Scale" };

function current(ctx: ApiContext, kind: ResourceKind, t: ResourceTarget): StoredEntry {
  const entry = ctx.store.get(resourceId(kind), t.namespace, t.name!);
  if (!entry) throw notFound(kind.group, kind.plural, t.name!);
  return entry;
}

function checkSubresource(t: ResourceTarget): void {
  const sub = t.subresource;
  if (sub === undefined) return;
  const has = t.kind.subresources as Record<string, unknown> | undefined;
  if (!has?.[sub]) throw pathNotFound();
}

/**
 * Renders one object as JSON or, when asked, as a one-row Table. Called after a write commits, so
 * it must not fail: should a table row not render, the object itself is the answer.
 */
function objectResponse(
  ctx: ApiContext,
  request: Request,
  kind: ResourceKind,
  obj: KubeObject,
  status = 200,
): Response {
  const url = new URL(request.url);
  if (wantsTable(parseAccept(request.headers.get("accept")))) {
    try {
      const table = buildTable(
        kind,
        [obj],
        { resourceVersion: obj.metadata.resourceVersion },
        {
          now: ctx.now(),
          include: includeObjectOption(url.searchParams),
          withColumns: true,
        },
      );
      return json(table, status, TABLE_TYPE);
    } catch (err) {
      console.error("table row failed to render after a write", err);
    }
  }
  return json(obj, status);
}

/** Adds `Warning` headers computed (by warningHeaders) before the write; one the runtime refuses is left out. */
function withWarnings(response: Response, headers: readonly string[]): Response {
  for (const h of headers)
    try {
      response.headers.append("warning", h);
    } catch {}
  return response;
}

function get(ctx: ApiContext, request: Request, t: ResourceTarget): Response {
  const unstored = t.subresource === undefined ? unstoredEntry(ctx, t.kind, t.namespace, t.name!) : undefined;
  const entry = unstored ?? current(ctx, t.kind, t);
  if (t.subresource === "scale") return json(scaleOf(t.kind, entry.object));
  if (t.subresource === undefined && !wantsTable(parseAccept(request.headers.get("accept")))) return json(entry.json);
  return objectResponse(ctx, request, t.kind, entry.object);
}

function list(ctx: ApiContext, request: Request, t: ResourceTarget): Response {
  const params = new URL(request.url).searchParams;
  const options = listOptions(params);
  const table = wantsTable(parseAccept(request.headers.get("accept")));
  if (options.watch || t.legacyWatch) {
    const matches = selection(t.kind, options.labelSelector, options.fieldSelector);
    let first = true;
    const include = includeObjectOption(params);
    const render = table
      ? (e: StoredEntry) => {
          const out = buildTable(t.kind, [e.object], {}, { now: ctx.now(), include, withColumns: first });
          first = false;
          return JSON.stringify(out);
        }
      : (e: StoredEntry) => e.json;
    return stream(watch(ctx, t.kind, t.namespace, options, matches, render), table ? TABLE_TYPE : "application/json");
  }
  const result = listEntries(ctx, t.kind, t.namespace, options);
  if (!table) return json(listJson(t.kind, result));
  const objects = result.entries.map((e) => e.object);
  const include = includeObjectOption(params);
  return json(
    buildTable(t.kind, objects, result.metadata, { now: ctx.now(), include, withColumns: true }),
    200,
    TABLE_TYPE,
  );
}

async function create(ctx: ApiContext, request: Request, t: ResourceTarget): Promise<Response> {
  const options = {
    ...writeOptions(new URL(request.url).searchParams, request.headers.get("user-agent")),
    user: t.user,
  };
  const post = subresourcePost(t.subresource);
  if (post) return post(ctx, request, t, options);
  if (t.name !== undefined) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  const { obj, warnings } = await readTyped(request, bodyTypeOf(t.kind), options.fieldValidation);
  const created = createObject(ctx, t.kind, t.namespace, obj, { ...options, warnings });
  return withWarnings(objectResponse(ctx, request, t.kind, created, 201), warningHeaders(warnings));
}

async function update(ctx: ApiContext, request: Request, t: ResourceTarget): Promise<Response> {
  const options = {
    ...writeOptions(new URL(request.url).searchParams, request.headers.get("user-agent")),
    user: t.user,
  };
  const target = { namespace: t.namespace, name: t.name!, subresource: t.subresource };
  if (t.subresource === "scale") {
    const { obj } = await readTyped(request, SCALE, options.fieldValidation);
    return json(updateScale(ctx, t.kind, target, obj as Scale, options));
  }
  const { obj, warnings } = await readTyped(request, bodyTypeOf(t.kind), options.fieldValidation);
  const updated = updateObject(ctx, t.kind, target, obj, { ...options, warnings });
  return withWarnings(objectResponse(ctx, request, t.kind, updated), warningHeaders(warnings));
}

async function patch(ctx: ApiContext, request: Request, t: ResourceTarget): Promise<Response> {
  const type = mediaType(request);
  checkPatchType(type, t.kind);
  const text = await readBody(request);
  const body = parseDocument(text, type);
  const options = {
    ...writeOptions(new URL(request.url).searchParams, request.headers.get("user-agent")),
    user: t.user,
  };
  const target = { namespace: t.namespace, name: t.name!, subresource: t.subresource };
  if (type === APPLY_PATCH_TYPE && t.subresource === undefined) {
    const explicitManager = new URL(request.url).searchParams.has("fieldManager");
    const admission: string[] = [];
    const applyOptions = { ...options, explicitManager, rawText: text, warnings: admission };
    const result = serverSideApply(ctx, t.kind, target, body, applyOptions);
    return withWarnings(
      objectResponse(ctx, request, t.kind, result.object, result.created ? 201 : 200),
      warningHeaders([...result.warnings, ...admission]),
    );
  }
  const entry = current(ctx, t.kind, t);
  const typed = { rawText: text, mode: options.fieldValidation, name: t.name! };
  if (t.subresource === "scale") {
    const { obj } = patchObject(type, scaleOf(t.kind, entry.object), body, t.kind, { ...typed, bodyType: SCALE });
    return json(updateScale(ctx, t.kind, target, obj as Scale, options));
  }
  const patched = patchObject(type, entry.object, body, t.kind, { ...typed, bodyType: bodyTypeOf(t.kind) });
  const { warnings } = patched;
  const updated = updateObject(ctx, t.kind, target, patched.obj, { ...options, warnings });
  return withWarnings(objectResponse(ctx, request, t.kind, updated), warningHeaders(warnings));
}

/** Whether the kind's delete admission lets this object go; a collection delete leaves those it refuses. */
function deletable(kind: ResourceKind, obj: KubeObject): boolean {
  try {
    kind.admitDelete?.(obj);
    return true;
  } catch {
    return false;
  }
}

async function remove(ctx: ApiContext, request: Request, t: ResourceTarget): Promise<Response> {
  const text = await readBody(request);
  const body = text.trim() ? parseDocument(text, "application/json") : undefined;
  const params = new URL(request.url).searchParams;
  const options = { ...deleteOptions(params, body, request.headers.get("user-agent")), user: t.user };
  if (t.name !== undefined) return json(deleteObject(ctx, t.kind, t.namespace, t.name, options).object);
  const { entries, metadata } = listEntries(ctx, t.kind, t.namespace, listOptions(params));
  const deleted = entries
    .filter((e) => ctx.store.getByKey(e.key) && deletable(t.kind, e.object))
    .map((e) => deleteObject(ctx, t.kind, e.object.metadata.namespace, e.object.metadata.name!, options).object);
  return json({
    kind: `${t.kind.kind}List`,
    apiVersion: t.kind.group ? `${t.kind.group}/${t.kind.version}` : t.kind.version,
    metadata,
    items: deleted,
  });
}

/** Dispatches one request on a resource path to its verb. */
export async function handleResource(ctx: ApiContext, request: Request, t: ResourceTarget): Promise<Response> {
  if (t.kind.conversion) return handleConverted(ctx, request, t, handleResource);
  checkSubresource(t);
  if (t.kind.namespaced && t.name !== undefined && t.namespace === undefined) throw pathNotFound();
  const named = t.name !== undefined;
  switch (request.method) {
    case "GET":
      return named ? get(ctx, request, t) : list(ctx, request, t);
    case "POST":
      return create(ctx, request, t);
    case "PUT":
      if (named) return update(ctx, request, t);
      break;
    case "PATCH":
      if (named) return patch(ctx, request, t);
      break;
    case "DELETE":
      return remove(ctx, request, t);
  }
  await discardBody(request);
  throw methodNotAllowed("the server does not allow this method on the requested resource");
}
