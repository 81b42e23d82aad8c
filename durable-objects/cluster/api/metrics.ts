// The resource metrics API (metrics.k8s.io/v1beta1) as metrics-server serves it, from the usage the agents
// report: NodeMetrics and PodMetrics, get and list (namespaced and across namespaces) with label and field
// selectors over the nodes' and pods' own labels and fields. Only nodes and pods that exist and have a
// fresh sample appear. Read access is that of the pods and nodes themselves.
import { discardBody } from "../../../kube/http/read-capped.ts";
import { methodNotAllowed, notFound, pathNotFound } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { parseAccept, wantsTable } from "./negotiate.ts";
import { listOptions } from "./options.ts";
import { errorResponse, json } from "../../../kube/http/respond.ts";
import { selection } from "./selection.ts";
import { includeObjectOption } from "./table.ts";
import { METRICS_API_VERSION, METRICS_GROUP, METRICS_VERSION } from "../metrics/discovery.ts";
import { cpuQuantity, goDuration, memoryQuantity } from "../metrics/format.ts";
import { type MetricsItem, metricsTable, TABLE_CONTENT_TYPE } from "./metrics-table.ts";
import { MetricsWindow, type RawNodeSample, type RawPodSample, type RawUsage } from "../metrics/window.ts";

interface MetricsTarget {
  resource: "nodes" | "pods";
  namespace?: string;
  name?: string;
}

/** The metrics path under /apis/metrics.k8s.io/v1beta1/, or undefined for another path. */
export function parseMetricsPath(pathname: string): MetricsTarget | undefined {
  const segments = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (segments[0] !== "apis" || segments[1] !== METRICS_GROUP || segments[2] !== METRICS_VERSION) return undefined;
  const rest = segments.slice(3);
  if (rest[0] === "nodes" && rest.length <= 2) return { resource: "nodes", name: rest[1] };
  if (rest[0] === "pods" && rest.length === 1) return { resource: "pods" };
  if (rest[0] === "namespaces" && rest[2] === "pods" && rest.length >= 3 && rest.length <= 4)
    return { resource: "pods", namespace: rest[1], name: rest[3] };
  throw pathNotFound();
}

const usage = (u: { cpuNanoCores: number; memoryBytes: number }) => ({
  cpu: cpuQuantity(u.cpuNanoCores),
  memory: memoryQuantity(u.memoryBytes),
});

/** metrics-server stamps each item's creationTimestamp with the time it was served. */
function itemMeta(obj: KubeObject, now: number) {
  const { name, namespace, labels } = obj.metadata;
  return {
    name,
    ...(namespace ? { namespace } : {}),
    creationTimestamp: timestamp(now),
    ...(labels && Object.keys(labels).length ? { labels } : {}),
  };
}

function nodeMetrics(node: KubeObject, sample: RawNodeSample, now: number) {
  return {
    metadata: itemMeta(node, now),
    timestamp: timestamp(sample.timestamp),
    window: goDuration(sample.windowSeconds),
    usage: usage(sample),
  };
}

function podMetrics(pod: KubeObject, sample: RawPodSample, now: number) {
  return {
    metadata: itemMeta(pod, now),
    timestamp: timestamp(sample.timestamp),
    window: goDuration(sample.windowSeconds),
    containers: sample.containers.map((c) => ({ name: c.name, usage: usage(c) })),
  };
}

/** The raw samples; a reader that is not the in-memory window (tests, none) has no nanocore precision. */
function samples(ctx: ApiContext) {
  const m = ctx.metrics;
  if (m instanceof MetricsWindow)
    return { node: (n: string) => m.nodeUsage(n), pod: (ns: string, n: string) => m.podUsage(ns, n) };
  const nano = (millis: number) => Math.round(millis * 1e6);
  return {
    node: (n: string): RawNodeSample | undefined => {
      const s = m?.nodeMetrics(n);
      return s && { ...s, cpuNanoCores: nano(s.cpuMillicores) };
    },
    pod: (ns: string, n: string): RawPodSample | undefined => {
      const s = m?.podMetrics(ns, n);
      return s && { ...s, containers: s.containers.map((c) => ({ ...c, cpuNanoCores: nano(c.cpuMillicores) })) };
    },
  };
}

/** What a request asked for: one item (get) or a list, each item with its total usage for tables. */
interface Served {
  kind: "NodeMetrics" | "PodMetrics";
  single: boolean;
  items: { item: MetricsItem; total: RawUsage }[];
}

function serveNodes(ctx: ApiContext, target: MetricsTarget, params: URLSearchParams, now: number): Served {
  const read = samples(ctx);
  const served = (items: Served["items"], single = false): Served => ({ kind: "NodeMetrics", single, items });
  const entry = (node: KubeObject, sample: RawNodeSample) => ({ item: nodeMetrics(node, sample, now), total: sample });
  if (target.name) {
    const node = ctx.store.get("nodes", undefined, target.name)?.object;
    // metrics-server's node lister answers for a missing node (with the singular resource)
    if (!node) throw notFound("", "node", target.name);
    const sample = read.node(target.name);
    if (!sample) throw notFound(METRICS_GROUP, "nodemetrics", target.name);
    return served([entry(node, sample)], true);
  }
  const options = listOptions(params);
  const matches = selection(ctx.kinds.byResource("nodes")!, options.labelSelector, options.fieldSelector);
  const items: Served["items"] = [];
  for (const { object } of ctx.store.list("nodes")) {
    const sample = matches(object) ? read.node(object.metadata.name ?? "") : undefined;
    if (sample) items.push(entry(object, sample));
  }
  return served(items);
}

/** metrics-server leaves out pods that are not Running. */
const isRunning = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase === "Running";

const podTotal = (sample: RawPodSample): RawUsage => ({
  cpuNanoCores: sample.containers.reduce((sum, c) => sum + c.cpuNanoCores, 0),
  memoryBytes: sample.containers.reduce((sum, c) => sum + c.memoryBytes, 0),
});

function servePods(ctx: ApiContext, target: MetricsTarget, params: URLSearchParams, now: number): Served {
  const read = samples(ctx);
  const served = (items: Served["items"], single = false): Served => ({ kind: "PodMetrics", single, items });
  const entry = (pod: KubeObject, sample: RawPodSample) => ({
    item: podMetrics(pod, sample, now),
    total: podTotal(sample),
  });
  if (target.name && target.namespace) {
    const pod = ctx.store.get("pods", target.namespace, target.name)?.object;
    if (!pod) throw notFound("", "pods", target.name);
    const sample = isRunning(pod) ? read.pod(target.namespace, target.name) : undefined;
    if (!sample) throw notFound(METRICS_GROUP, "podmetrics", `${target.namespace}/${target.name}`);
    return served([entry(pod, sample)], true);
  }
  const options = listOptions(params);
  const matches = selection(ctx.kinds.byResource("pods")!, options.labelSelector, options.fieldSelector);
  const items: Served["items"] = [];
  for (const { object } of ctx.store.list("pods", target.namespace)) {
    const { namespace = "", name = "" } = object.metadata;
    const sample = matches(object) && isRunning(object) ? read.pod(namespace, name) : undefined;
    if (sample) items.push(entry(object, sample));
  }
  return served(items);
}

/** JSON as metrics-server answers, or a Table when the client asks for one (kubectl get podmetrics). */
function respond(served: Served, request: Request): Response {
  if (wantsTable(parseAccept(request.headers.get("accept")))) {
    const include = includeObjectOption(new URL(request.url).searchParams);
    return json(metricsTable(served.items, include), 200, TABLE_CONTENT_TYPE);
  }
  if (served.single) return json({ kind: served.kind, apiVersion: METRICS_API_VERSION, ...served.items[0].item });
  const items = served.items.map((i) => i.item);
  return json({ kind: `${served.kind}List`, apiVersion: METRICS_API_VERSION, metadata: {}, items });
}

/** Serves one metrics request; errors are thrown as StatusErrors for the router to answer. */
export function handleMetrics(ctx: ApiContext, request: Request): Response {
  const url = new URL(request.url);
  const target = parseMetricsPath(url.pathname);
  if (!target) throw pathNotFound();
  if (request.method !== "GET" && request.method !== "HEAD")
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  const now = ctx.now();
  const serve = target.resource === "nodes" ? serveNodes : servePods;
  return respond(serve(ctx, target, url.searchParams, now), request);
}

/** handleMetrics with errors answered as Status objects (and any request body drained first). */
export async function metricsResponse(ctx: ApiContext, request: Request): Promise<Response> {
  try {
    return handleMetrics(ctx, request);
  } catch (err) {
    await discardBody(request);
    return errorResponse(err);
  }
}
