// The Endpoints controller (upstream pkg/controller/endpoint): for every Service with a
// selector, an Endpoints object of the same name listing the selected pods' addresses —
// ready ones in addresses, the others in notReadyAddresses — grouped into subsets by the
// ports they expose. A deleted service's Endpoints go with it.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import {
  type EndpointPort,
  podEndpoints,
  portsKey,
  selectorOf,
  servicesSelecting,
  targetRef,
} from "./endpoint-addresses.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const ENDPOINT_CONTROLLER = "endpoint-controller";

interface Subset {
  addresses?: unknown[];
  notReadyAddresses?: unknown[];
  ports?: EndpointPort[];
}

/** The subsets for a service, pods with the same ports together (RepackSubsets). */
export function endpointSubsets(ctx: ApiContext, svc: KubeObject): Subset[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const headless = svc.spec?.clusterIP === "None";
  const groups = new Map<string, Subset>();
  for (const ep of podEndpoints(ctx.store, svc)) {
    if (ep.terminating && !tolerateUnready) continue;
    if (ep.ports.length === 0 && !(headless && (svc.spec?.ports ?? []).length === 0)) continue;
    const address: Record<string, unknown> = { ip: ep.ip };
    const spec = ep.pod.spec ?? {};
    if (spec.hostname && spec.subdomain === svc.metadata.name) address.hostname = spec.hostname;
    if (spec.nodeName) address.nodeName = spec.nodeName;
    address.targetRef = targetRef(ep.pod);
    const key = portsKey(ep.ports);
    let subset = groups.get(key);
    if (!subset) {
      subset = ep.ports.length > 0 ? { ports: ep.ports } : {};
      groups.set(key, subset);
    }
    const field = tolerateUnready || ep.ready ? "addresses" : "notReadyAddresses";
    subset[field] ??= [];
    subset[field].push(address);
  }
  return [...groups.values()].map((s) => {
    const out: Subset = {};
    if (s.addresses) out.addresses = s.addresses;
    if (s.notReadyAddresses) out.notReadyAddresses = s.notReadyAddresses;
    if (s.ports) out.ports = s.ports;
    return out;
  });
}

export class EndpointsController implements Controller {
  readonly name = ENDPOINT_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, ENDPOINT_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key, object } = change.entry;
    if (resource === "services") return [key];
    if (resource === "pods") return servicesSelecting(this.#w.ctx.store, [object, change.previous?.object]);
    return [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store
      .list("services")
      .filter((e) => selectorOf(e.object))
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const [, namespace, name] = key.split("/");
    const svc = this.#w.entry(key)?.object;
    const existing = this.#w.ctx.store.get("endpoints", namespace, name)?.object;
    if (!svc) {
      if (existing) this.#w.delete("endpoints", existing);
      return undefined;
    }
    if (!selectorOf(svc) || svc.metadata.deletionTimestamp) return undefined;
    const labels: Record<string, string> = { ...svc.metadata.labels };
    if (svc.spec?.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
    const subsets = endpointSubsets(this.#w.ctx, svc);
    const body: KubeObject = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name, namespace, ...(Object.keys(labels).length ? { labels } : {}) },
    };
    if (subsets.length > 0) body.subsets = subsets;
    if (!existing) {
      this.#w.create("endpoints", body);
      return undefined;
    }
    const next = { ...structuredClone(existing), subsets: body.subsets } as KubeObject;
    if (!body.subsets) delete next.subsets;
    next.metadata.labels = body.metadata.labels;
    if (!next.metadata.labels) delete next.metadata.labels;
    this.#w.update("endpoints", existing, next);
    return undefined;
  }
}
