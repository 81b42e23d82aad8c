// The metrics.k8s.io group in discovery, as an aggregated metrics-server registers it: NodeMetrics (nodes)
// and PodMetrics (pods), get and list only. Not registry kinds: nothing is stored, OpenAPI leaves them out.
export const METRICS_GROUP = "metrics.k8s.io";
export const METRICS_VERSION = "v1beta1";
export const METRICS_API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

const VERBS = ["get", "list"];

const RESOURCES = [
  { name: "nodes", singularName: "node", namespaced: false, kind: "NodeMetrics" },
  { name: "pods", singularName: "pod", namespaced: true, kind: "PodMetrics" },
];

/** The group's entry in /apis and the body of /apis/metrics.k8s.io (add kind and apiVersion). */
export function metricsApiGroup() {
  const version = { groupVersion: METRICS_API_VERSION, version: METRICS_VERSION };
  return { name: METRICS_GROUP, versions: [version], preferredVersion: version };
}

/** /apis/metrics.k8s.io/v1beta1, or undefined for another version. */
export function metricsResourceList(version: string) {
  if (version !== METRICS_VERSION) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: METRICS_API_VERSION,
    resources: RESOURCES.map((r) => ({ ...r, verbs: VERBS })),
  };
}

/** The group's item in the aggregated /apis document. */
export function metricsAggregatedGroup() {
  return {
    metadata: { name: METRICS_GROUP },
    versions: [
      {
        version: METRICS_VERSION,
        resources: RESOURCES.map((r) => ({
          resource: r.name,
          responseKind: { group: METRICS_GROUP, version: METRICS_VERSION, kind: r.kind },
          scope: r.namespaced ? "Namespaced" : "Cluster",
          singularResource: r.singularName,
          verbs: VERBS,
        })),
        freshness: "Current",
      },
    ],
  };
}
