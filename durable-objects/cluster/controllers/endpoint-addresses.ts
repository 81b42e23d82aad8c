// What a Service's endpoints are made of, shared by the Endpoints and EndpointSlice
// controllers: the pods its selector matches, each pod's ports resolved from the service's
// targetPorts (names looked up among container ports), readiness and termination.
import { matchesLabels } from "../../../kube/labels.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ObjectStore } from "../store/object-store.ts";
import { isPodReady } from "./pods.ts";

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface PodEndpoint {
  pod: KubeObject;
  ip: string;
  ready: boolean;
  terminating: boolean;
  ports: EndpointPort[];
}

export function selectorOf(svc: KubeObject): Record<string, string> | undefined {
  const sel = svc.spec?.selector;
  return sel && Object.keys(sel).length > 0 ? sel : undefined;
}

/** FindPort: a numeric targetPort as is, a named one from the pod's container ports. */
export function findPort(pod: KubeObject, svcPort: Record<string, unknown>): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  const protocol = svcPort.protocol ?? "TCP";
  if (typeof target === "number") return target;
  if (typeof target === "string" && /^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? "TCP") === protocol) return p.containerPort;
  return undefined;
}

function portsFor(pod: KubeObject, svc: KubeObject): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { port, protocol: sp.protocol ?? "TCP" };
    if (sp.name) ep.name = sp.name;
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** The pods behind a service that can have an address: selected, with an IP, not finished. */
export function podEndpoints(store: ObjectStore, svc: KubeObject): PodEndpoint[] {
  const selector = selectorOf(svc);
  if (!selector) return [];
  const reqs = Object.entries(selector).map(([key, v]) => ({ key, operator: "=" as const, values: [v] }));
  const out: PodEndpoint[] = [];
  for (const e of store.list("pods", svc.metadata.namespace)) {
    const pod = e.object;
    if (!matchesLabels(reqs, pod.metadata.labels)) continue;
    const ip = pod.status?.podIP;
    const phase = pod.status?.phase;
    if (!ip || phase === "Succeeded" || phase === "Failed") continue;
    out.push({
      pod,
      ip,
      ready: isPodReady(pod) && !pod.metadata.deletionTimestamp,
      terminating: Boolean(pod.metadata.deletionTimestamp),
      ports: portsFor(pod, svc),
    });
  }
  return out.sort((a, b) => compareIPs(a.ip, b.ip) || a.pod.metadata.name!.localeCompare(b.pod.metadata.name!));
}

function compareIPs(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  if (pa.length === 4 && pb.length === 4) for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return a < b ? -1 : a > b ? 1 : 0;
}

export function targetRef(pod: KubeObject) {
  const { name, namespace, uid } = pod.metadata;
  return { kind: "Pod", namespace, name, uid };
}

/** A stable text for a set of ports, to group pods that expose the same ones. */
export const portsKey = (ports: readonly EndpointPort[]) =>
  JSON.stringify(ports.map((p) => [p.name ?? "", p.port, p.protocol, p.appProtocol ?? ""]));

/** Services in the pod's namespace whose selector matches the pod's labels (now or before). */
export function servicesSelecting(store: ObjectStore, pods: (KubeObject | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const pod of pods) {
    if (!pod) continue;
    for (const e of store.list("services", pod.metadata.namespace)) {
      const sel = selectorOf(e.object);
      if (sel && Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v)) keys.add(e.key);
    }
  }
  return [...keys];
}
