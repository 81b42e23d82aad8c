// The EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service
// with a selector, slices owned by the service holding its pods' endpoints with ready,
// serving and terminating conditions — one slice per set of ports, at most 100 endpoints
// each, and one empty placeholder when there are none. Slices are reused where their ports
// match, so a pod change rewrites one slice rather than replacing them all.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { objectKey } from "../store/keys.ts";
import { podEndpoints, portsKey, selectorOf, servicesSelecting, targetRef } from "./endpoint-addresses.ts";
import { isPodReady, newControllerRef } from "./pods.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const ENDPOINTSLICE_CONTROLLER = "endpointslice-controller";
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const MANAGED_BY = "endpointslice-controller.k8s.io";
const SLICES = "endpointslices.discovery.k8s.io";
const MAX_PER_SLICE = 100;
const ZONE_LABEL = "topology.kubernetes.io/zone";

interface DesiredSlice {
  ports: unknown[];
  endpoints: unknown[];
}

export function desiredSlices(ctx: ApiContext, svc: KubeObject): DesiredSlice[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, DesiredSlice>();
  for (const ep of podEndpoints(ctx.store, svc)) {
    if (ep.ports.length === 0 && (svc.spec?.ports ?? []).length > 0) continue;
    const key = portsKey(ep.ports);
    let group = groups.get(key);
    if (!group) {
      group = { ports: ep.ports, endpoints: [] };
      groups.set(key, group);
    }
    const endpoint: Record<string, unknown> = {
      addresses: [ep.ip],
      conditions: {
        ready: tolerateUnready || ep.ready,
        serving: tolerateUnready || ep.ready || (ep.terminating && isPodReady(ep.pod)),
        terminating: ep.terminating,
      },
    };
    const nodeName = ep.pod.spec?.nodeName;
    if (nodeName) {
      endpoint.nodeName = nodeName;
      const zone = ctx.store.get("nodes", undefined, nodeName)?.object.metadata.labels?.[ZONE_LABEL];
      if (zone) endpoint.zone = zone;
    }
    endpoint.targetRef = targetRef(ep.pod);
    group.endpoints.push(endpoint);
  }
  const slices: DesiredSlice[] = [];
  for (const g of groups.values())
    for (let i = 0; i < g.endpoints.length; i += MAX_PER_SLICE)
      slices.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_PER_SLICE) });
  return slices.length > 0 ? slices : [{ ports: [], endpoints: [] }];
}

export class EndpointSliceController implements Controller {
  readonly name = ENDPOINTSLICE_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, ENDPOINTSLICE_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key, object } = change.entry;
    if (resource === "services") return [key];
    if (resource === "pods") return servicesSelecting(this.#w.ctx.store, [object, change.previous?.object]);
    if (resource === SLICES && object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) {
      const svc = object.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc ? [objectKey("services", object.metadata.namespace, svc)] : [];
    }
    return [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store
      .list("services")
      .filter((e) => selectorOf(e.object))
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const svc = this.#w.entry(key)?.object;
    // A deleted service's slices go with it through their owner reference.
    if (!svc || !selectorOf(svc) || svc.metadata.deletionTimestamp) return undefined;
    const existing = this.#owned(svc);
    const unused = new Set(existing);
    for (const want of desiredSlices(this.#w.ctx, svc)) {
      const wantKey = portsKey(want.ports as never);
      const match = [...unused].find((s) => portsKey((s.ports ?? []) as never) === wantKey);
      if (match) {
        unused.delete(match);
        this.#w.update(SLICES, match, this.#slice(svc, want, match));
      } else this.#w.create(SLICES, this.#slice(svc, want));
    }
    for (const stale of unused) this.#w.delete(SLICES, stale);
    return undefined;
  }

  #owned(svc: KubeObject): KubeObject[] {
    return this.#w.ctx.store
      .list(SLICES, svc.metadata.namespace)
      .map((e) => e.object)
      .filter(
        (s) =>
          s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name &&
          s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY &&
          !s.metadata.deletionTimestamp,
      );
  }

  #slice(svc: KubeObject, want: DesiredSlice, current?: KubeObject): KubeObject {
    const labels = {
      ...svc.metadata.labels,
      [SERVICE_NAME_LABEL]: svc.metadata.name!,
      [MANAGED_BY_LABEL]: MANAGED_BY,
    };
    const metadata = current
      ? { ...structuredClone(current.metadata), labels }
      : {
          generateName: `${svc.metadata.name}-`,
          namespace: svc.metadata.namespace,
          labels,
          ownerReferences: [{ ...newControllerRef(svc), apiVersion: "v1", kind: "Service" }],
        };
    return {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata,
      addressType: "IPv4",
      endpoints: want.endpoints,
      ports: want.ports,
    };
  }
}
