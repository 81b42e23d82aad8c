// PodInfo from a pod object: requests as upstream's resource.PodRequests computes them
// (sum of containers, the larger of that and each init container plus the sidecars started
// before it, plus overhead), host ports, and the scheduling fields read on every cycle.
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { quantityNanos } from "../registry/pod-resources.ts";
import type { HostPort, PodInfo, Resources } from "./types.ts";

/** Upstream's DefaultMilliCPURequest and DefaultMemoryRequest, used for scoring only. */
export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

export const emptyResources = (): Resources => ({ cpu: 0, memory: 0, ephemeral: 0, scalar: {} });

const NANO = 1_000_000_000n;

/** A quantity in whole units rounded up (bytes, pods, devices), or millis for cpu. */
export function quantityUnits(value: string | number | undefined, milli = false): number {
  if (value === undefined) return 0;
  const n = quantityNanos(value);
  if (n === undefined || n <= 0n) return 0;
  const div = milli ? 1_000_000n : NANO;
  return Number((n + div - 1n) / div);
}

/** A ResourceList (requests, allocatable) as Resources. */
export function resourcesOf(list: Record<string, string | number> | undefined): Resources {
  const r = emptyResources();
  for (const [name, q] of Object.entries(list ?? {})) {
    if (name === "cpu") r.cpu = quantityUnits(q, true);
    else if (name === "memory") r.memory = quantityUnits(q);
    else if (name === "ephemeral-storage") r.ephemeral = quantityUnits(q);
    else if (name !== "pods") r.scalar[name] = quantityUnits(q);
  }
  return r;
}

export function addResources(into: Resources, r: Resources, sign = 1): void {
  into.cpu += sign * r.cpu;
  into.memory += sign * r.memory;
  into.ephemeral += sign * r.ephemeral;
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + sign * v;
}

function maxResources(a: Resources, b: Resources): Resources {
  const out: Resources = {
    cpu: Math.max(a.cpu, b.cpu),
    memory: Math.max(a.memory, b.memory),
    ephemeral: Math.max(a.ephemeral, b.ephemeral),
    scalar: { ...a.scalar },
  };
  for (const [k, v] of Object.entries(b.scalar)) out.scalar[k] = Math.max(out.scalar[k] ?? 0, v);
  return out;
}

const isSidecar = (c: LooseObject) => c.restartPolicy === "Always";

/** resource.PodRequests without pod-level resources. */
export function podRequests(spec: LooseObject | undefined): Resources {
  const sum = emptyResources();
  for (const c of spec?.containers ?? []) addResources(sum, resourcesOf(c.resources?.requests));
  const sidecars = emptyResources();
  let initMax = emptyResources();
  for (const c of spec?.initContainers ?? []) {
    const req = resourcesOf(c.resources?.requests);
    if (isSidecar(c)) {
      addResources(sidecars, req);
      addResources(sum, req);
      initMax = maxResources(initMax, sidecars);
    } else {
      const during = structuredClone(sidecars);
      addResources(during, req);
      initMax = maxResources(initMax, during);
    }
  }
  const total = maxResources(sum, initMax);
  if (spec?.overhead) addResources(total, resourcesOf(spec.overhead));
  return total;
}

/** Non-zero requests (schedutil.GetNonzeroRequests): containers without a request count the defaults. */
function nonZeroRequests(spec: LooseObject | undefined): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of spec?.containers ?? []) {
    const req = c.resources?.requests ?? {};
    cpu += req.cpu === undefined ? DEFAULT_MILLI_CPU : quantityUnits(req.cpu, true);
    memory += req.memory === undefined ? DEFAULT_MEMORY : quantityUnits(req.memory);
  }
  return { cpu, memory };
}

function hostPorts(spec: LooseObject | undefined): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])])
    for (const p of c.ports ?? [])
      if (p.hostPort > 0) out.push({ hostIP: p.hostIP || "0.0.0.0", protocol: p.protocol || "TCP", port: p.hostPort });
  return out;
}

/** "nginx" → "docker.io/library/nginx:latest", as the ImageLocality plugin normalizes names. */
export function normalizeImage(image: string): string {
  let name = image;
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  if (slash < 0) name = `docker.io/library/${name}`;
  else if (!first.includes(".") && !first.includes(":") && first !== "localhost") name = `docker.io/${name}`;
  const lastPart = name.slice(name.lastIndexOf("/") + 1);
  if (!lastPart.includes(":") && !lastPart.includes("@")) name += ":latest";
  return name;
}

export function podInfo(key: string, pod: KubeObject): PodInfo {
  const spec: LooseObject = pod.spec ?? {};
  const meta = pod.metadata;
  const owner = meta.ownerReferences?.find((r) => r.controller) ?? meta.ownerReferences?.[0];
  return {
    key,
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    uid: meta.uid ?? "",
    labels: meta.labels ?? {},
    requests: podRequests(spec),
    nonZero: nonZeroRequests(spec),
    priority: typeof spec.priority === "number" ? spec.priority : 0,
    preemptionPolicy: spec.preemptionPolicy ?? "PreemptLowerPriority",
    tolerations: spec.tolerations ?? [],
    nodeSelector: spec.nodeSelector ?? {},
    affinity: spec.affinity ?? {},
    spread: spec.topologySpreadConstraints ?? [],
    hostPorts: hostPorts(spec),
    images: (spec.containers ?? []).map((c: LooseObject) => normalizeImage(String(c.image ?? ""))),
    ownerUid: owner?.uid ?? "",
    nominatedNodeName: pod.status?.nominatedNodeName ?? "",
    nodeName: spec.nodeName ?? "",
    created: Date.parse(meta.creationTimestamp ?? "") || 0,
    object: pod,
  };
}
