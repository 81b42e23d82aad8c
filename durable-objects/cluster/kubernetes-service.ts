// The `kubernetes` Service in `default` and its endpoints, as upstream's apiserver keeps them
// (pkg/controlplane/controller/kubernetesservice and its endpoint reconciler): made when the cluster starts.
// Its one endpoint is the Service's own cluster IP at 443: every node agent serves the cluster's API there
// (agent/services/kubernetes-endpoint.ts) — there is no apiserver address a pod could reach instead.
import type { KubeObject } from "../../kube/types.ts";
import type { ApiContext } from "./context.ts";
import { createObject } from "./writes/create.ts";
import { SYSTEM_WRITE } from "./writes/options.ts";

export const KUBERNETES_CLUSTER_IP = "10.96.0.1";
const PORT = { name: "https", port: 443, protocol: "TCP" };

const service = (): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } },
  spec: { clusterIP: KUBERNETES_CLUSTER_IP, ports: [{ ...PORT, targetPort: PORT.port }] },
});

const endpoints = (ip: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Endpoints",
  // As upstream: the slice below is the API's own, not one for the mirroring controller to copy.
  metadata: { name: "kubernetes", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
  subsets: [{ addresses: [{ ip }], ports: [PORT] }],
});

const endpointSlice = (ip: string): KubeObject => ({
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  metadata: { name: "kubernetes", labels: { "kubernetes.io/service-name": "kubernetes" } },
  addressType: "IPv4",
  endpoints: [{ addresses: [ip], conditions: { ready: true } }],
  ports: [PORT],
});

/** Creates whichever of the three is missing (a cluster made before they existed gets them on its next start). */
export function ensureKubernetesService(ctx: ApiContext): void {
  const make = (resource: string, obj: KubeObject) =>
    createObject(ctx, ctx.kinds.byResource(resource)!, "default", obj, SYSTEM_WRITE);
  if (!ctx.store.get("services", "default", "kubernetes")) make("services", service());
  const ip = String(
    ctx.store.get("services", "default", "kubernetes")?.object.spec?.clusterIP ?? KUBERNETES_CLUSTER_IP,
  );
  if (!ctx.store.get("endpoints", "default", "kubernetes")) make("endpoints", endpoints(ip));
  if (!ctx.store.get("endpointslices.discovery.k8s.io", "default", "kubernetes"))
    make("endpointslices.discovery.k8s.io", endpointSlice(ip));
}
