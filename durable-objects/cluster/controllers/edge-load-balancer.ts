// The edge's load-balancer controller (what a cloud's service controller and an ingress controller do for
// their load balancers): a Service of type LoadBalancer gets `status.loadBalancer.ingress[].hostname`, its
// host name at the edge (so `kubectl get svc` shows an EXTERNAL-IP), with an event saying only HTTP(S) and
// WebSockets pass the edge; an Ingress of a class the edge serves gets the cluster's ingress address. An
// Ingress of another class is left alone, as upstream controllers leave other classes'; an address of ours
// is taken back when the object stops qualifying. Without a domain (EDGE_DOMAIN) nothing gets an address.
import { ingressHost, serviceHost } from "../../../kube/edge-hosts.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { INGRESS_CLASSES, INGRESSES } from "../registry/ingresses.ts";
import type { Change } from "../store/object-store.ts";
import { edgeServicePort, ingressClassOf, isEdgeClass, isLoadBalancer } from "../tunnel/edge-served.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const EDGE_LOAD_BALANCER_CONTROLLER = "service-controller";
const SERVICES = "services";

/** Where the cluster's host names live; absent when the deployment has no domain for them. */
export interface EdgeNames {
  clusterId: string;
  domain: string;
}

export class EdgeLoadBalancerController implements Controller {
  readonly name = EDGE_LOAD_BALANCER_CONTROLLER;
  #w: Writer;
  #names: EdgeNames;

  constructor(ctx: ApiContext, names: EdgeNames) {
    this.#w = new Writer(ctx, EDGE_LOAD_BALANCER_CONTROLLER);
    this.#names = names;
  }

  keysFor(change: Change): string[] {
    const { resource, key } = change.entry;
    if (change.type === "DELETED" && resource !== INGRESS_CLASSES) return [];
    if (resource === SERVICES || resource === INGRESSES) return [key];
    // A class that came, went or changed controller changes which Ingresses are the edge's.
    if (resource === INGRESS_CLASSES) return this.#w.ctx.store.list(INGRESSES).map((e) => e.key);
    return [];
  }

  initialKeys(): string[] {
    const { store } = this.#w.ctx;
    return [...store.list(SERVICES), ...store.list(INGRESSES)]
      .filter((e) => this.#plan(e.object) !== undefined)
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const entry = this.#w.entry(key);
    if (!entry || entry.object.metadata.deletionTimestamp) return undefined;
    const status = this.#plan(entry.object);
    if (status === undefined) return undefined;
    const written = this.#w.updateStatus(entry.resource, entry.object, status);
    const assigned = (status.loadBalancer?.ingress ?? []).length > 0;
    if (written !== entry.object && assigned && entry.resource === SERVICES) this.#recordEnsured(written);
    return undefined;
  }

  /** The status the object should have, or undefined when it is not ours to touch (or already right). */
  #plan(obj: KubeObject): KubeObject["status"] | undefined {
    const ours = this.#hostFor(obj);
    const current: { hostname?: string }[] = obj.status?.loadBalancer?.ingress ?? [];
    if (ours) {
      if (current.length === 1 && current[0].hostname === ours && Object.keys(current[0]).length === 1)
        return undefined;
      return { ...obj.status, loadBalancer: { ingress: [{ hostname: ours }] } };
    }
    // No longer ours: take back only an address this controller wrote.
    const written = this.#anyHostOf(obj);
    if (!current.some((i) => i.hostname === written)) return undefined;
    return { ...obj.status, loadBalancer: {} };
  }

  /** The host name the object gets now, if it qualifies. */
  #hostFor(obj: KubeObject): string | undefined {
    const { clusterId, domain } = this.#names;
    if (obj.kind === "Service")
      return isLoadBalancer(obj)
        ? serviceHost(obj.metadata.name!, obj.metadata.namespace!, clusterId, domain)
        : undefined;
    return isEdgeClass(this.#w.ctx, ingressClassOf(obj)) ? ingressHost(clusterId, domain) : undefined;
  }

  /** The host name this controller would give the object if it qualified. */
  #anyHostOf(obj: KubeObject): string {
    const { clusterId, domain } = this.#names;
    return obj.kind === "Service"
      ? serviceHost(obj.metadata.name!, obj.metadata.namespace!, clusterId, domain)
      : ingressHost(clusterId, domain);
  }

  #recordEnsured(service: KubeObject): void {
    const host = service.status.loadBalancer.ingress[0].hostname;
    const raw = (service.spec?.ports ?? []).filter((p: { protocol?: string }) => (p.protocol ?? "TCP") !== "TCP");
    this.#w.events.record(service, {
      type: "Normal",
      reason: "EnsuredLoadBalancer",
      message: `Ensured load balancer ${host}`,
    });
    this.#w.events.record(service, {
      type: raw.length > 0 ? "Warning" : "Normal",
      reason: "EdgeHTTPOnly",
      message: `${host} passes HTTP(S) and WebSockets only (ports 80 and 443 at the edge, to port ${edgeServicePort(service)?.port}); raw TCP and UDP cannot pass the edge`,
    });
  }
}
