// Access control for one cluster: the RBAC authorizer following the store, and the bootstrap policy it
// starts from. Called once when the cluster object starts (and by tests building an API by hand).
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
