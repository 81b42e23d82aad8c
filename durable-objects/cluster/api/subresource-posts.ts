// The subresources that take a POST of their own body type rather than the kind's — pods/binding,
// pods/eviction, serviceaccounts/token — as a table: a kind offers one by listing it in its registry
// entry's `subresources`, and the verb finds its handler here by name, with no branch per subresource.
import { statusSuccess } from "../../../kube/status.ts";
import type { ApiContext } from "../context.ts";
import type { BodyType } from "../writes/decode.ts";
import type { WriteOptions } from "../writes/options.ts";
import { bindPod } from "../writes/subresources.ts";
import { readTyped } from "./decode.ts";
import { json } from "../../../kube/http/respond.ts";
import { evictPod } from "./eviction.ts";
import type { ResourceTarget } from "./paths.ts";
import { createToken } from "./token-request.ts";

type PostHandler = (ctx: ApiContext, request: Request, t: ResourceTarget, options: WriteOptions) => Promise<Response>;

const BINDING: BodyType = { apiVersion: "v1", kind: "Binding", definition: "io.k8s.api.core.v1.Binding" };

const HANDLERS: Record<string, PostHandler> = {
  async binding(ctx, request, t, options) {
    const { obj } = await readTyped(request, BINDING, options.fieldValidation);
    bindPod(ctx, t.kind, t.namespace!, t.name!, obj, options);
    return json({ ...statusSuccess(), code: 201 }, 201);
  },
  eviction: (ctx, request, t) => evictPod(ctx, t.kind, t.namespace!, t.name!, request),
  token: (ctx, request, t) => createToken(ctx, request, t.namespace!, t.name!),
};

/** The handler for a POST to this subresource, if it is one that takes its own body. */
export function subresourcePost(subresource: string | undefined): PostHandler | undefined {
  return subresource !== undefined && Object.hasOwn(HANDLERS, subresource) ? HANDLERS[subresource] : undefined;
}
