// Where the API reaches the guard: a middleware after authentication (rate, activity, bytes)
// and one call in create. A context without a guard (tests building a bare API) is unlimited.
import { discardBody } from "../../../kube/http/read-capped.ts";
import type { MiddlewareHandler } from "hono";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { errorResponse } from "../../../kube/http/respond.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { ClusterGuard } from "./guard.ts";

export interface GuardHooks {
  guard: ClusterGuard;
  /** Called on every authenticated request: it extends the cluster's idle expiry. */
  onActivity(now: number): void;
}

const attached = new WeakMap<ApiContext, GuardHooks>();

export function attachGuard(ctx: ApiContext, hooks: GuardHooks): void {
  attached.set(ctx, hooks);
}

export function detachGuard(ctx: ApiContext): void {
  attached.get(ctx)?.guard.dispose();
  attached.delete(ctx);
}

/** The cluster's guard, for the public URL (which has its own limits and no authentication); none in bare tests. */
export function guardOf(ctx: ApiContext): ClusterGuard | undefined {
  return attached.get(ctx)?.guard;
}

/** Hono middleware for the Kubernetes API; install it after authentication. */
export function requestLimits(ctx: ApiContext): MiddlewareHandler {
  return async (c, next) => {
    const hooks = attached.get(ctx);
    if (hooks) {
      const now = ctx.now();
      hooks.onActivity(now);
      try {
        hooks.guard.admitRequest(c.req.method, now);
      } catch (err) {
        // Read (bounded), not cancelled: cancelling a body the Worker is still streaming here fails that
        // Worker with "Can't read from request stream after response has been sent".
        await discardBody(c.req.raw);
        return errorResponse(err);
      }
    }
    await next();
  };
}

/** Throws a 403 quota error when storing `obj` would exceed the plan. */
export function checkCreateQuota(ctx: ApiContext, kind: ResourceKind, obj: KubeObject, bytes: number): void {
  attached
    .get(ctx)
    ?.guard.admitCreate({ group: kind.group, plural: kind.plural, name: obj.metadata.name ?? "", bytes });
}
