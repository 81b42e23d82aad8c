// The edge's Gateway API controller (controllerName flotilla.dev/gateway), once the user has installed the
// Gateway API CRDs. When the GatewayClass CRD is Established it offers the class `flotilla` (made again at
// start when missing); it accepts the classes naming it, and writes upstream's status: on Gateways of those
// classes Accepted/Programmed, `status.addresses` (the cluster's ingress host name) and each listener's
// supportedKinds, attachedRoutes and conditions; on HTTPRoutes, one `status.parents[]` entry per parentRef to
// such a Gateway with Accepted and ResolvedRefs. Attachment is tunnel/gateway-attach.ts's, the very answer
// the edge serves from; entries of other controllers are left as they are.
import { ingressHost } from "../../../kube/edge-hosts.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { timestamp } from "../context.ts";
import type { ApiContext } from "../context.ts";
import { isEstablished } from "../crd/served-kinds.ts";
import { CRDS } from "../registry/customresourcedefinitions.ts";
import {
  EDGE_GATEWAY_CLASS,
  EDGE_GATEWAY_CONTROLLER,
  GATEWAY_CLASSES,
  GATEWAY_GROUP,
  GATEWAYS,
  HTTP_ROUTES,
} from "../registry/gateway-api.ts";
import { objectKey } from "../store/keys.ts";
import type { Change } from "../store/object-store.ts";
import { isEdgeGateway } from "../tunnel/edge-gateway.ts";
import {
  attach,
  type Listener,
  listenerProblem,
  type ParentRef,
  refOf,
  supportedKinds,
  unsupportedValue,
} from "../tunnel/gateway-attach.ts";
import type { EdgeNames } from "./edge-load-balancer.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const GATEWAY_CONTROLLER = "gateway-controller";
const CLASS_CRD_KEY = objectKey(CRDS, undefined, GATEWAY_CLASSES);

type Status = "True" | "False" | "Unknown";
interface Condition {
  type: string;
  status: Status;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}
type Wanted = [type: string, status: Status, reason: string, message: string];

/** Our conditions merged into `old`: a transition time kept while the status stays, others' types kept. */
function merge(old: Condition[] | undefined, wanted: Wanted[], generation: number, now: string): Condition[] {
  const before = new Map((old ?? []).map((c) => [c.type, c]));
  const ours = wanted.map(([type, status, reason, message]) => {
    const prev = before.get(type);
    const lastTransitionTime = prev && prev.status === status ? prev.lastTransitionTime : now;
    return { type, status, reason, message, observedGeneration: generation, lastTransitionTime };
  });
  const mine = new Set(wanted.map((w) => w[0]));
  return [...ours, ...(old ?? []).filter((c) => !mine.has(c.type))];
}

export class GatewayController implements Controller {
  readonly name = GATEWAY_CONTROLLER;
  readonly #w: Writer;
  readonly #names: EdgeNames | undefined;

  constructor(
    private readonly ctx: ApiContext,
    names?: EdgeNames,
  ) {
    this.#w = new Writer(ctx, GATEWAY_CONTROLLER);
    this.#names = names;
  }

  #keys(resource: string, namespace?: string): string[] {
    return this.ctx.kinds.byResource(resource) ? this.ctx.store.list(resource, namespace).map((e) => e.key) : [];
  }

  keysFor(change: Change): string[] {
    const { resource, key, object } = change.entry;
    const self = change.type === "DELETED" ? [] : [key];
    if (resource === CRDS) return key === CLASS_CRD_KEY ? self : [];
    // A class decides which Gateways are ours; a Gateway which routes attach; routes count on listeners.
    if (resource === GATEWAY_CLASSES) return [...self, ...this.#keys(GATEWAYS), ...this.#keys(HTTP_ROUTES)];
    if (resource === GATEWAYS) return [...self, ...this.#keys(HTTP_ROUTES)];
    if (resource === HTTP_ROUTES) return [...self, ...this.#keys(GATEWAYS)];
    if (resource === "services") return this.#keys(HTTP_ROUTES, object.metadata.namespace);
    return [];
  }

  initialKeys(): string[] {
    return [CLASS_CRD_KEY, ...this.#keys(GATEWAY_CLASSES), ...this.#keys(GATEWAYS), ...this.#keys(HTTP_ROUTES)];
  }

  reconcile(key: string): ReconcileResult | undefined {
    const entry = this.#w.entry(key);
    if (!entry || entry.object.metadata.deletionTimestamp) return undefined;
    const obj = entry.object;
    if (entry.resource === CRDS) this.#offerClass(obj);
    else if (entry.resource === GATEWAY_CLASSES) this.#classStatus(obj);
    else if (entry.resource === GATEWAYS) this.#gatewayStatus(obj);
    else if (entry.resource === HTTP_ROUTES) this.#routeStatus(obj);
    return undefined;
  }

  get #now(): string {
    return timestamp(this.ctx.now());
  }

  /** The kind exists only once its CRD is Established: then the class `flotilla`, unless there is one. */
  #offerClass(crd: KubeObject): void {
    const kind = this.ctx.kinds.byResource(GATEWAY_CLASSES);
    if (!isEstablished(crd) || !kind) return;
    if (this.ctx.store.get(GATEWAY_CLASSES, undefined, EDGE_GATEWAY_CLASS.metadata.name!)) return;
    this.#w.create(GATEWAY_CLASSES, {
      ...structuredClone(EDGE_GATEWAY_CLASS),
      apiVersion: `${kind.group}/${kind.version}`,
    });
  }

  #classStatus(cls: KubeObject): void {
    if (cls.spec?.controllerName !== EDGE_GATEWAY_CONTROLLER) return;
    const accepted: Wanted = cls.spec?.parametersRef
      ? ["Accepted", "False", "InvalidParameters", "the edge's GatewayClass takes no parameters"]
      : ["Accepted", "True", "Accepted", "Served by the Flotilla edge"];
    const conditions = merge(cls.status?.conditions, [accepted], cls.metadata.generation ?? 1, this.#now);
    this.#w.updateStatus(GATEWAY_CLASSES, cls, { ...cls.status, conditions });
  }

  /** How many routes attach to each listener of the Gateway (by listener name). */
  #attachedCounts(gateway: KubeObject): Map<string, number> {
    const counts = new Map<string, number>();
    const labels = (ns: string) => this.ctx.store.get("namespaces", undefined, ns)?.object.metadata.labels;
    for (const { object: route } of this.ctx.store.list(HTTP_ROUTES)) {
      if (route.metadata.deletionTimestamp || unsupportedValue(route)) continue;
      for (const raw of (route.spec?.parentRefs ?? []) as ParentRef[]) {
        const ref = refOf(raw, route.metadata.namespace!);
        if (ref.group !== GATEWAY_GROUP || ref.kind !== "Gateway") continue;
        if (ref.namespace !== gateway.metadata.namespace || ref.name !== gateway.metadata.name) continue;
        for (const { listener } of attach(route, gateway, ref, labels).listeners)
          counts.set(listener.name, (counts.get(listener.name) ?? 0) + 1);
      }
    }
    return counts;
  }

  #gatewayStatus(gateway: KubeObject): void {
    if (!isEdgeGateway(this.ctx, gateway)) return;
    const generation = gateway.metadata.generation ?? 1;
    const now = this.#now;
    const host = this.#names ? ingressHost(this.#names.clusterId, this.#names.domain) : undefined;
    const listeners: Listener[] = gateway.spec?.listeners ?? [];
    const counts = this.#attachedCounts(gateway);
    const old = new Map<string, { conditions?: Condition[] }>(
      (gateway.status?.listeners ?? []).map((l: { name: string }) => [l.name, l]),
    );
    let valid = 0;
    const listenerStatus = listeners.map((l) => {
      const problem = listenerProblem(l, listeners);
      if (!problem) valid++;
      const is = (type: string) => problem?.type === type;
      const wanted: Wanted[] = [
        is("Accepted")
          ? ["Accepted", "False", problem!.reason, problem!.message]
          : ["Accepted", "True", "Accepted", "Listener is accepted"],
        is("Conflicted")
          ? ["Conflicted", "True", problem!.reason, problem!.message]
          : ["Conflicted", "False", "NoConflicts", "No conflicts"],
        is("ResolvedRefs")
          ? ["ResolvedRefs", "False", problem!.reason, problem!.message]
          : ["ResolvedRefs", "True", "ResolvedRefs", "References are resolved"],
        problem
          ? ["Programmed", "False", "Invalid", "Listener is not served"]
          : host
            ? ["Programmed", "True", "Programmed", `Served at ${host}`]
            : ["Programmed", "False", "Pending", "The deployment has no domain for host names"],
      ];
      return {
        name: l.name,
        supportedKinds: supportedKinds(l),
        attachedRoutes: problem ? 0 : (counts.get(l.name) ?? 0),
        conditions: merge(old.get(l.name)?.conditions, wanted, generation, now),
      };
    });
    const requested: { type?: string; value?: string }[] = gateway.spec?.addresses ?? [];
    const unusable = requested.find((a) => (a.type ?? "IPAddress") !== "Hostname" || (a.value && a.value !== host));
    const accepted: Wanted = unusable
      ? ["Accepted", "False", "UnsupportedAddress", `the edge's only address is ${host ?? "none"}`]
      : valid > 0
        ? ["Accepted", "True", "Accepted", "Gateway is accepted"]
        : ["Accepted", "False", "ListenersNotValid", "No listener is valid"];
    const programmed: Wanted = !host
      ? ["Programmed", "False", "AddressNotAssigned", "The deployment has no domain for host names (EDGE_DOMAIN)"]
      : accepted[1] === "True"
        ? ["Programmed", "True", "Programmed", `Served by the edge at ${host}`]
        : ["Programmed", "False", "Invalid", "Gateway is not accepted"];
    const conditions = merge(gateway.status?.conditions, [accepted, programmed], generation, now);
    const status = {
      ...gateway.status,
      addresses: host ? [{ type: "Hostname", value: host }] : [],
      conditions,
      listeners: listenerStatus,
    };
    this.#w.updateStatus(GATEWAYS, gateway, status);
  }

  /** ResolvedRefs for the route's backends: Services of the route's namespace that exist. */
  #resolvedRefs(route: KubeObject): Wanted {
    const namespace = route.metadata.namespace!;
    for (const rule of route.spec?.rules ?? [])
      for (const b of rule.backendRefs ?? []) {
        if ((b.group ?? "") !== "" || (b.kind ?? "Service") !== "Service")
          return ["ResolvedRefs", "False", "InvalidKind", `backendRef ${b.name}: only Services are supported`];
        if ((b.namespace ?? namespace) !== namespace)
          return ["ResolvedRefs", "False", "RefNotPermitted", `backendRef ${b.name}: another namespace's Service`];
        if (!this.ctx.store.get("services", namespace, b.name))
          return ["ResolvedRefs", "False", "BackendNotFound", `service "${namespace}/${b.name}" not found`];
      }
    return ["ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route"];
  }

  #routeStatus(route: KubeObject): void {
    const generation = route.metadata.generation ?? 1;
    const now = this.#now;
    const labels = (ns: string) => this.ctx.store.get("namespaces", undefined, ns)?.object.metadata.labels;
    type ParentStatus = { parentRef: ParentRef; controllerName: string; conditions?: Condition[] };
    const old: ParentStatus[] = route.status?.parents ?? [];
    const others = old.filter((p) => p.controllerName !== EDGE_GATEWAY_CONTROLLER);
    const same = (a: ParentRef, b: ParentRef) => JSON.stringify(refOf(a, "")) === JSON.stringify(refOf(b, ""));
    const unsupported = unsupportedValue(route);
    const resolved = this.#resolvedRefs(route);
    const ours: ParentStatus[] = [];
    for (const raw of (route.spec?.parentRefs ?? []) as ParentRef[]) {
      const ref = refOf(raw, route.metadata.namespace!);
      if (ref.group !== GATEWAY_GROUP || ref.kind !== "Gateway") continue;
      const gateway = this.ctx.store.get(GATEWAYS, ref.namespace, ref.name)?.object;
      if (!gateway || !isEdgeGateway(this.ctx, gateway)) continue;
      const attached = attach(route, gateway, ref, labels);
      const accepted: Wanted = unsupported
        ? ["Accepted", "False", "UnsupportedValue", unsupported]
        : attached.reason
          ? ["Accepted", "False", attached.reason, attached.message ?? ""]
          : ["Accepted", "True", "Accepted", "Route is accepted"];
      const before = old.find((p) => p.controllerName === EDGE_GATEWAY_CONTROLLER && same(p.parentRef, raw));
      ours.push({
        parentRef: raw,
        controllerName: EDGE_GATEWAY_CONTROLLER,
        conditions: merge(before?.conditions, [accepted, resolved], generation, now),
      });
    }
    if (ours.length === 0 && others.length === old.length) return;
    this.#w.updateStatus(HTTP_ROUTES, route, { ...route.status, parents: [...others, ...ours] });
  }
}
