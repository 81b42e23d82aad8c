// The serviceaccount controller (upstream pkg/controller/serviceaccount/serviceaccounts_controller.go):
// every namespace has a "default" ServiceAccount — made again when deleted. Namespaces created through the
// API get theirs in the same write (the namespaces kind's afterCreate), so a pod created right after never races it;
// this controller covers deletions and namespaces stored before that.
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { DEFAULT_SERVICE_ACCOUNT, defaultServiceAccount, needsDefaultServiceAccount } from "./serviceaccount-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const SERVICE_ACCOUNT_CONTROLLER = "serviceaccount-controller";

export class ServiceAccountController implements Controller {
  readonly name = SERVICE_ACCOUNT_CONTROLLER;
  readonly #w: Writer;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, SERVICE_ACCOUNT_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, object } = change.entry;
    if (resource === "namespaces" && change.type !== "DELETED") return [object.metadata.name ?? ""];
    if (resource === "serviceaccounts" && change.type === "DELETED" && object.metadata.name === DEFAULT_SERVICE_ACCOUNT)
      return [object.metadata.namespace ?? ""];
    return [];
  }

  initialKeys(): string[] {
    return this.ctx.store.list("namespaces").map((e) => e.object.metadata.name ?? "");
  }

  reconcile(namespace: string): ReconcileResult | undefined {
    const ns = this.ctx.store.get("namespaces", undefined, namespace)?.object;
    const existing = this.ctx.store.get("serviceaccounts", namespace, DEFAULT_SERVICE_ACCOUNT)?.object;
    if (needsDefaultServiceAccount(ns, existing)) this.#w.create("serviceaccounts", defaultServiceAccount(namespace));
    return undefined;
  }
}
