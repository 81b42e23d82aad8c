// Access control for one cluster: the RBAC authorizer following the store, and the bootstrap policy it
// starts from. The cluster object's context comes with its authorizer (cluster-context.ts); contexts
// tests build by hand get theirs here when the router is made.
import type { ApiContext } from "../context.ts";
import { ensureBootstrapPolicy } from "./bootstrap.ts";
import { RbacAuthorizer } from "./rbac-authorizer.ts";

export function startAccessControl(ctx: ApiContext): RbacAuthorizer {
  if (ctx.rbac) return ctx.rbac;
  const rbac = new RbacAuthorizer(ctx.store);
  ctx.rbac = rbac;
  ensureBootstrapPolicy(ctx);
  return rbac;
}
