// What the edge serves of a cluster: Ingresses whose class is one of the edge's own (controller
// flotilla.dev/ingress; the legacy kubernetes.io/ingress.class annotation counts when the spec names none),
// and Services with a host name (type LoadBalancer, or published with flotilla.dev/public). Read from the
// store on every request, so a deleted Ingress or unpublished Service stops answering at once.
import { serviceHostPart } from "../../../kube/edge-hosts.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { EDGE_INGRESS_CONTROLLER, INGRESS_CLASSES, INGRESSES } from "../registry/ingresses.ts";
import { PUBLIC_ANNOTATION } from "./public.ts";

const LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

export function ingressClassOf(ingress: KubeObject): string | undefined {
  return ingress.spec?.ingressClassName ?? ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
}

/** Whether the named class is served by the edge. */
export function isEdgeClass(ctx: ApiContext, className: string | undefined): boolean {
  if (!className) return false;
  return ctx.store.get(INGRESS_CLASSES, undefined, className)?.object.spec?.controller === EDGE_INGRESS_CONTROLLER;
}

/** Every Ingress the edge serves (not those being deleted). */
export function edgeIngresses(ctx: ApiContext): KubeObject[] {
  return ctx.store
    .list(INGRESSES)
    .map((e) => e.object)
    .filter((i) => !i.metadata.deletionTimestamp && isEdgeClass(ctx, ingressClassOf(i)));
}

export const isLoadBalancer = (service: KubeObject) => service.spec?.type === "LoadBalancer";

/** Whether a Service has a host name at the edge. */
export const hasEdgeHost = (service: KubeObject) =>
  isLoadBalancer(service) || service.metadata.annotations?.[PUBLIC_ANNOTATION] === "true";

/** The Service a host name's `<service>-<namespace>` part names, when it has a host name. */
export function serviceOfHostPart(ctx: ApiContext, part: string): KubeObject | undefined {
  const fits = (s: KubeObject | undefined) =>
    s && hasEdgeHost(s) && serviceHostPart(s.metadata.name!, s.metadata.namespace!) === part ? s : undefined;
  for (let at = part.indexOf("-"); at > 0; at = part.indexOf("-", at + 1)) {
    const found = fits(ctx.store.get("services", part.slice(at + 1), part.slice(0, at))?.object);
    if (found) return found;
  }
  // Names too long for a label carry a hash instead: found only by looking at every Service.
  return ctx.store
    .list("services")
    .map((e) => e.object)
    .find((s) => fits(s));
}

export interface ServicePort {
  name?: string;
  port?: number;
  appProtocol?: string;
}

/** The Service port a host name reaches: port 80 when the Service has one, else its first. */
export function edgeServicePort(service: KubeObject): ServicePort | undefined {
  const ports: ServicePort[] = service.spec?.ports ?? [];
  return ports.find((p) => p.port === 80) ?? ports[0];
}
