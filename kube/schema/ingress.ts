// networking.k8s.io/v1 Ingress and IngressClass: the edge's routes into a cluster (the Worker serves the
// built-in class `flotilla`), with upstream's list types and required fields.
import { atomicList, core, type Definitions, enumOf, integer, kindObject, object, ref, string } from "./dsl.ts";

const networking = (t: string) => `io.k8s.api.networking.v1.${t}`;

export const ingressDefinitions: Definitions = {
  [networking("Ingress")]: kindObject(
    { group: "networking.k8s.io", version: "v1", kind: "Ingress" },
    "Rules that route outside HTTP(S) traffic to Services, by host name and path.",
    {
      spec: ref(networking("IngressSpec"), "The rules, backends and TLS settings."),
      status: ref(networking("IngressStatus"), "The addresses the ingress is reached at. Read-only."),
    },
  ),
  [networking("IngressSpec")]: object(
    {
      ingressClassName: string("The IngressClass whose controller serves this ingress; the default class when empty."),
      defaultBackend: ref(networking("IngressBackend"), "Where requests that match no rule go."),
      tls: atomicList(ref(networking("IngressTLS")), "TLS settings: the hosts and the secret of their certificate."),
      rules: atomicList(ref(networking("IngressRule")), "Host rules; a request matching none goes to defaultBackend."),
    },
    "What the ingress routes where.",
  ),
  [networking("IngressBackend")]: object(
    {
      service: ref(networking("IngressServiceBackend"), "A Service and one of its ports."),
      resource: ref(core("TypedLocalObjectReference"), "Another object in the namespace; exclusive with service."),
    },
    "Where matching requests go: a Service port, or a resource.",
  ),
  [networking("IngressServiceBackend")]: object(
    {
      name: string("The Service, in the ingress's namespace."),
      port: ref(networking("ServiceBackendPort"), "The Service's port, by name or number."),
    },
    "A Service as a backend.",
    { required: ["name"] },
  ),
  [networking("ServiceBackendPort")]: object(
    {
      name: string("The port's name; exclusive with number."),
      number: integer("The port's number; exclusive with name."),
    },
    "A Service port by name or number.",
  ),
  [networking("IngressTLS")]: object(
    {
      hosts: atomicList(string(), "Host names the certificate covers."),
      secretName: string("The Secret holding the certificate and key."),
    },
    "TLS for some hosts.",
  ),
  [networking("IngressRule")]: object(
    {
      host: string("The host name a request's Host header must match (one leading wildcard label allowed)."),
      http: ref(networking("HTTPIngressRuleValue"), "The paths of the host and their backends."),
    },
    "The paths of one host (or every host).",
  ),
  [networking("HTTPIngressRuleValue")]: object(
    { paths: atomicList(ref(networking("HTTPIngressPath")), "Paths and their backends.") },
    "A list of paths.",
    { required: ["paths"] },
  ),
  [networking("HTTPIngressPath")]: object(
    {
      path: string("The path requests are matched against; absolute for Prefix and Exact."),
      pathType: enumOf(
        ["Exact", "ImplementationSpecific", "Prefix"],
        "How path matches: Exact, Prefix (by path element) or ImplementationSpecific (here: as Prefix).",
      ),
      backend: ref(networking("IngressBackend"), "Where matching requests go."),
    },
    "A path and its backend.",
    { required: ["pathType", "backend"] },
  ),
  [networking("IngressStatus")]: object(
    { loadBalancer: ref(networking("IngressLoadBalancerStatus"), "The ingress's load balancer.") },
    "The ingress's observed state.",
  ),
  [networking("IngressLoadBalancerStatus")]: object(
    { ingress: atomicList(ref(networking("IngressLoadBalancerIngress")), "The load balancer's addresses.") },
    "The load balancer of an ingress.",
  ),
  [networking("IngressLoadBalancerIngress")]: object(
    {
      ip: string("An IP address of the load balancer."),
      hostname: string("A DNS name of the load balancer."),
      ports: atomicList(ref(networking("IngressPortStatus")), "The state of each port."),
    },
    "An address of the load balancer.",
  ),
  [networking("IngressPortStatus")]: object(
    {
      port: integer("The port number."),
      protocol: enumOf(["SCTP", "TCP", "UDP"], "The port's protocol."),
      error: string("Why the port failed, in CamelCase, or empty."),
    },
    "The state of one port.",
    { required: ["port", "protocol"] },
  ),
  [networking("IngressClass")]: kindObject(
    { group: "networking.k8s.io", version: "v1", kind: "IngressClass" },
    "A class of ingresses and the controller that serves them.",
    { spec: ref(networking("IngressClassSpec"), "The controller and its parameters.") },
  ),
  [networking("IngressClassSpec")]: object(
    {
      controller: string("The controller serving the class, as a domain-prefixed path (flotilla.dev/ingress)."),
      parameters: ref(networking("IngressClassParametersReference"), "An object with the controller's settings."),
    },
    "The controller of a class.",
  ),
  [networking("IngressClassParametersReference")]: object(
    {
      apiGroup: string("The referenced object's group."),
      kind: string("The referenced object's kind."),
      name: string("The referenced object's name."),
      scope: enumOf(["Cluster", "Namespace"], "Cluster (the default) or Namespace."),
      namespace: string("The namespace of a Namespace-scoped reference."),
    },
    "An object holding a class's parameters.",
    { required: ["kind", "name"] },
  ),
};
