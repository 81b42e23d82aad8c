// /openapi/v2 as kube-openapi's handler serves it: one Swagger 2.0 document of every served kind, as JSON
// or as gnostic's protobuf (kubectl ≤ 1.28 asks for that first), one ETag (the JSON's SHA-512, upstream's
// computeETag) for both, 304 on If-None-Match, 406 for anything else. Built from the same schema data as
// the v3 documents (openapi.ts). Paths are left out: kubectl ≤ 1.28 looks in them for `fieldValidation` on
// PATCH and, finding none, validates client-side against these definitions (kubectl ≥ 1.29 asks v3).
import { encodeOpenApiV2 } from "../../../kube/protobuf/openapi-v2.ts";
import { swaggerDocument } from "../../../kube/schema/openapi-v2.ts";
import { notAcceptable } from "../../../kube/status.ts";
import type { Definitions } from "../../../kube/schema/dsl.ts";
import type { KindIndex } from "../registry/lookup.ts";
import { documentDefinitions } from "./openapi.ts";
import { parseAccept } from "./negotiate.ts";

const JSON_TYPE = "application/json";
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
const PROTOBUF_TYPES = new Set([OPENAPI_V2_PROTOBUF, "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"]);

interface Served {
  doc: Record<string, unknown>;
  json: string;
  /** Encoded on the first protobuf request (tens of milliseconds; JSON clients never pay it). */
  protobuf?: Uint8Array;
  etag: string;
}

// Built once per revision of the kind table (custom resources change it).
const cache = new WeakMap<KindIndex, { revision: number; served: Promise<Served> }>();

async function build(kinds: KindIndex): Promise<Served> {
  const defs: Record<string, Definitions[string]> = {};
  const roots: string[] = [];
  for (const gv of kinds.groupVersions()) {
    const doc = documentDefinitions(kinds.inGroupVersion(gv.group, gv.version));
    Object.assign(defs, doc.defs);
    roots.push(...doc.roots);
  }
  const doc = swaggerDocument(defs, roots, "v1.32.0");
  const json = JSON.stringify(doc);
  const digest = await crypto.subtle.digest("SHA-512", new TextEncoder().encode(json));
  const etag = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join("");
  return { doc, json, etag };
}

/** The first acceptable representation in the client's order (q=0 excluded), as goautoneg picks. */
function chooseType(accept: string | null): string | undefined {
  const ranges = parseAccept(accept ?? "*/*")
    .map((m, i) => ({ type: m.type, q: m.params.q === undefined ? 1 : Number(m.params.q), i }))
    .filter((m) => m.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { type } of ranges) {
    if (type === JSON_TYPE || type === "*/*" || type === "application/*") return JSON_TYPE;
    if (PROTOBUF_TYPES.has(type)) return OPENAPI_V2_PROTOBUF;
  }
  return undefined;
}

export async function openApiV2Response(kinds: KindIndex, request: Request): Promise<Response> {
  const type = chooseType(request.headers.get("accept"));
  if (!type) throw notAcceptable("only application/json and the OpenAPI v2 protobuf are served at /openapi/v2");
  let held = cache.get(kinds);
  if (!held || held.revision !== kinds.revision) {
    held = { revision: kinds.revision, served: build(kinds) };
    cache.set(kinds, held);
  }
  const entry = await held.served;
  const headers = { "content-type": type, etag: `"${entry.etag}"`, vary: "Accept" };
  if ((request.headers.get("if-none-match") ?? "").includes(entry.etag))
    return new Response(null, { status: 304, headers });
  if (type === JSON_TYPE) return new Response(entry.json, { headers });
  entry.protobuf ??= encodeOpenApiV2(entry.doc);
  return new Response(entry.protobuf, { headers });
}
