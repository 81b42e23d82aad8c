// networking.k8s.io/v1 Ingress: printIngress's columns (CLASS, HOSTS, ADDRESS, PORTS), ValidateIngress and a
// status subresource the edge's load-balancer controller fills. IngressClass: printIngressClass, the scope
// default of SetDefaults_IngressClass, and the built-in class `flotilla` served by the edge itself.
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import {
  validateIngress,
  validateIngressClass,
  validateIngressClassUpdate,
  validateIngressStatus,
} from "./ingress-validation.ts";
import type { ResourceKind } from "./types.ts";

/** The store's resource keys (resourceId). */
export const INGRESSES = "ingresses.networking.k8s.io";
export const INGRESS_CLASSES = "ingressclasses.networking.k8s.io";
export const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
/** The controller name of the class the edge serves. */
export const EDGE_INGRESS_CONTROLLER = "flotilla.dev/ingress";

/** The class every cluster starts with (recreated at start when missing, left alone when edited). */
export const EDGE_INGRESS_CLASS: KubeObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "IngressClass",
  metadata: { name: "flotilla", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
  spec: { controller: EDGE_INGRESS_CONTROLLER },
};

/** formatHosts: the first three hosts ("*" for none), then "+ N more...". */
function formatHosts(o: KubeObject): string {
  const rules: { host?: string }[] = o.spec?.rules ?? [];
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return "*";
  return more ? `${list.join(",")} + ${rules.length - max} more...` : list.join(",");
}

/** ingressLoadBalancerStatusStringer with wide=true, as the apiserver's table convertor calls it. */
export function loadBalancerAddresses(o: KubeObject): string {
  const ingress: { ip?: string; hostname?: string }[] = o.status?.loadBalancer?.ingress ?? [];
  return [...new Set(ingress.map((i) => i.ip || i.hostname || "").filter(Boolean))].sort().join(",");
}

export const ingresses: ResourceKind = {
  group: "networking.k8s.io",
  version: "v1",
  kind: "Ingress",
  plural: "ingresses",
  singular: "ingress",
  namespaced: true,
  shortNames: ["ing"],
  nameRule: "subdomain",
  subresources: { status: true },
  tracksGeneration: true,
  columns: [
    column(
      "Class",
      "string",
      "The name of the IngressClass resource that should be used for additional configuration",
      (o) => o.spec?.ingressClassName ?? "<none>",
    ),
    column("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule", formatHosts),
    column(
      "Address",
      "string",
      "Address is a list containing ingress points for the load-balancer",
      loadBalancerAddresses,
    ),
    column("Ports", "string", "Ports of TLS configurations that open", (o) =>
      (o.spec?.tls ?? []).length ? "80, 443" : "80",
    ),
    ageColumn,
  ],
  prepareForCreate(o) {
    // Go's encoder writes the empty struct (loadBalancer has no omitempty effect on a struct).
    o.status = { loadBalancer: {} };
  },
  validate: (o) => [...validateIngress(o), ...validateIngressStatus(o)],
};

export const ingressClasses: ResourceKind = {
  group: "networking.k8s.io",
  version: "v1",
  kind: "IngressClass",
  plural: "ingressclasses",
  singular: "ingressclass",
  namespaced: false,
  nameRule: "subdomain",
  columns: [
    column("Controller", "string", "Controller that is responsible for handling this class", (o) => o.spec?.controller),
    column("Parameters", "string", "A reference to a resource with additional parameters", (o) => {
      const p = o.spec?.parameters;
      if (!p) return "<none>";
      return `${p.kind}${typeof p.apiGroup === "string" ? `.${p.apiGroup}` : ""}/${p.name}`;
    }),
    ageColumn,
  ],
  defaults(o) {
    const params = o.spec?.parameters;
    if (params && (params.scope === undefined || params.scope === null)) params.scope = "Cluster";
  },
  validate: validateIngressClass,
  validateUpdate: validateIngressClassUpdate,
};
