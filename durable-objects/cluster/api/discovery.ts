// Discovery documents, legacy and aggregated (apidiscovery.k8s.io v2 / v2beta1), all
// derived from the registry so a new kind appears everywhere by being registered.
import type { KindIndex } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { METRICS_GROUP, metricsAggregatedGroup, metricsApiGroup, metricsResourceList } from "../metrics/discovery.ts";
import {
  reviewAggregatedGroups,
  reviewApiGroup,
  reviewApiGroups,
  reviewResourceList,
} from "../auth/review-discovery.ts";

export const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

interface Subresource {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

function subresourcesOf(k: ResourceKind): Subresource[] {
  const out: Subresource[] = [];
  const self = { group: k.group, version: k.version, kind: k.kind };
  if (k.subresources?.binding)
    out.push({ name: "binding", group: "", version: "v1", kind: "Binding", verbs: ["create"] });
  if (k.subresources?.eviction)
    out.push({ name: "eviction", group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] });
  if (k.subresources?.scale)
    out.push({ name: "scale", group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] });
  if (k.subresources?.token)
    out.push({ name: "token", group: "authentication.k8s.io", version: "v1", kind: "TokenRequest", verbs: ["create"] });
  if (k.subresources?.ephemeralcontainers)
    out.push({ name: "ephemeralcontainers", ...self, verbs: ["get", "patch", "update"] });
  if (k.subresources?.status) out.push({ name: "status", ...self, verbs: ["get", "patch", "update"] });
  return out;
}

const gvString = (group: string, version: string) => (group ? `${group}/${version}` : version);

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function apiGroup(kinds: KindIndex, group: string) {
  const versions = kinds
    .groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: gvString(gv.group, gv.version), version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(kinds: KindIndex) {
  const groups = [...new Set(kinds.groupVersions().map((gv) => gv.group))].filter((g) => g !== "");
  const served = groups.map((g) => apiGroup(kinds, g));
  return { kind: "APIGroupList", apiVersion: "v1", groups: [...served, ...reviewApiGroups(), metricsApiGroup()] };
}

export function apiGroupDocument(kinds: KindIndex, group: string) {
  if (group === METRICS_GROUP) return { kind: "APIGroup", apiVersion: "v1", ...metricsApiGroup() };
  const review = reviewApiGroup(group);
  if (review) return { kind: "APIGroup", apiVersion: "v1", ...review };
  const doc = apiGroup(kinds, group);
  return doc.versions.length ? { kind: "APIGroup", apiVersion: "v1", ...doc } : undefined;
}

export function apiResourceList(kinds: KindIndex, group: string, version: string) {
  if (group === METRICS_GROUP) return metricsResourceList(version);
  const review = reviewResourceList(group, version);
  if (review) return review;
  const inGv = kinds.inGroupVersion(group, version);
  if (inGv.length === 0) return undefined;
  const resources = inGv.flatMap((k) => [
    {
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: VERBS,
      ...(k.shortNames?.length ? { shortNames: k.shortNames } : {}),
      ...(k.categories?.length ? { categories: k.categories } : {}),
    },
    ...subresourcesOf(k).map((s) => ({
      name: `${k.plural}/${s.name}`,
      singularName: "",
      namespaced: k.namespaced,
      ...(s.group !== k.group || s.version !== k.version ? { group: s.group, version: s.version } : {}),
      kind: s.kind,
      verbs: s.verbs,
    })),
  ]);
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: gvString(group, version), resources };
}

function discoveryResource(k: ResourceKind) {
  return {
    resource: k.plural,
    responseKind: { group: k.group, version: k.version, kind: k.kind },
    scope: k.namespaced ? "Namespaced" : "Cluster",
    singularResource: k.singular,
    verbs: VERBS,
    ...(k.shortNames?.length ? { shortNames: k.shortNames } : {}),
    ...(k.categories?.length ? { categories: k.categories } : {}),
    ...(subresourcesOf(k).length
      ? {
          subresources: subresourcesOf(k).map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group, version: s.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** The aggregated document for /api (core only) or /apis (every named group). */
export function aggregatedDiscovery(kinds: KindIndex, core: boolean, version: "v2" | "v2beta1") {
  const groups = [...new Set(kinds.groupVersions().map((gv) => gv.group))].filter((g) => (g === "") === core);
  const items = groups.map((group) => ({
    metadata: { name: group },
    versions: kinds
      .groupVersions()
      .filter((gv) => gv.group === group)
      .map((gv) => ({
        version: gv.version,
        resources: kinds.inGroupVersion(gv.group, gv.version).map(discoveryResource),
        freshness: "Current",
      })),
  }));
  // The resource metrics API is served beside the registry's kinds (metrics-server's group, aggregated).
  const all = core ? items : [...items, ...reviewAggregatedGroups(), metricsAggregatedGroup()];
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items: all };
}

export function aggregatedContentType(version: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
