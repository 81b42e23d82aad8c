// core/v1 Service and Endpoints, and ObjectReference which both (and events) use.
import {
  atomicList,
  boolean,
  core,
  type Definitions,
  enumOf,
  integer,
  intOrString,
  keyedList,
  kindObject,
  meta,
  object,
  ref,
  string,
  stringMap,
} from "./dsl.ts";

const v1 = (kind: string) => ({ group: "", version: "v1", kind });

const protocol = enumOf(["SCTP", "TCP", "UDP"], "The IP protocol: TCP (the default), UDP or SCTP.");
const appProtocol = string(
  "The application protocol, as a hint to implementations: an IANA service name, a kubernetes.io/ value (h2c, ws, wss) or a domain-prefixed name.",
);

export const serviceDefinitions: Definitions = {
  [core("Service")]: kindObject(
    v1("Service"),
    "A stable name and virtual address for a set of pods chosen by label, with load balancing across them.",
    {
      spec: ref(core("ServiceSpec"), "How the service is exposed and which pods it reaches."),
      status: ref(core("ServiceStatus"), "The service's observed state, such as load balancer addresses. Read-only."),
    },
  ),
  [core("ServiceSpec")]: object(
    {
      ports: keyedList(
        ref(core("ServicePort")),
        "port",
        "The ports the service exposes and where each one forwards to.",
        ["port", "protocol"],
      ),
      selector: stringMap(
        "Traffic goes to pods whose labels include all these pairs. Without a selector, endpoints are managed by hand.",
      ),
      clusterIP: string(
        "The virtual IP address of the service, normally assigned at random. 'None' makes a headless service (DNS lists the pods). Cannot be changed except to or from ExternalName.",
      ),
      clusterIPs: atomicList(string(), "The cluster IP addresses, one per IP family; the first equals clusterIP."),
      type: enumOf(
        ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        "How the service is exposed: ClusterIP (the default, inside the cluster), NodePort (also on a port of every node), LoadBalancer (also through an external load balancer) or ExternalName (a DNS alias).",
      ),
      externalIPs: atomicList(
        string(),
        "Addresses outside the cluster on which nodes also accept the service's traffic.",
      ),
      sessionAffinity: enumOf(
        ["ClientIP", "None"],
        "ClientIP sends each client to the same pod; None (the default) balances every connection.",
      ),
      loadBalancerIP: string("Deprecated: the address requested from the load balancer, where supported."),
      loadBalancerSourceRanges: atomicList(string(), "Client CIDRs the load balancer accepts, where supported."),
      externalName: string("For type ExternalName: the DNS name the service's name is an alias (CNAME) for."),
      externalTrafficPolicy: enumOf(
        ["Cluster", "Local"],
        "For external traffic: Cluster (the default) spreads it over all ready pods; Local keeps it on the receiving node and preserves the client address.",
      ),
      healthCheckNodePort: integer("For LoadBalancer with Local policy: the node port load balancers health-check."),
      publishNotReadyAddresses: boolean("Include pods that are not ready in DNS and endpoints."),
      sessionAffinityConfig: ref(core("SessionAffinityConfig"), "Settings of session affinity."),
      ipFamilies: atomicList(string(), "IP families of the service (IPv4, IPv6), in order."),
      ipFamilyPolicy: enumOf(
        ["PreferDualStack", "RequireDualStack", "SingleStack"],
        "SingleStack (the default), PreferDualStack or RequireDualStack.",
      ),
      allocateLoadBalancerNodePorts: boolean("For LoadBalancer: whether node ports are allocated. Defaults to true."),
      loadBalancerClass: string("The load balancer implementation to use, instead of the cloud provider's default."),
      internalTrafficPolicy: enumOf(
        ["Cluster", "Local"],
        "For traffic from inside the cluster: Cluster (the default) or Local (only pods on the same node).",
      ),
      trafficDistribution: string("A preference for how traffic is spread, such as PreferClose to stay in the zone."),
    },
    "How a service is exposed and where its traffic goes.",
  ),
  [core("ServicePort")]: object(
    {
      name: string("The port's name, a DNS label; required when the service has several ports."),
      protocol,
      appProtocol,
      port: integer("The port the service listens on."),
      targetPort: intOrString(
        "The port on the pods traffic goes to: a number, or the name of a container port. Defaults to port.",
      ),
      nodePort: integer("For NodePort and LoadBalancer: the port on every node; allocated when not set."),
    },
    "One port of a service.",
    { required: ["port"] },
  ),
  [core("SessionAffinityConfig")]: object(
    { clientIP: ref(core("ClientIPConfig"), "Settings of ClientIP affinity.") },
    "Session affinity settings.",
  ),
  [core("ClientIPConfig")]: object(
    { timeoutSeconds: integer("How long a client sticks to its pod, in seconds. Defaults to 10800 (3 hours).") },
    "ClientIP session affinity settings.",
  ),
  [core("ServiceStatus")]: object(
    {
      loadBalancer: ref(core("LoadBalancerStatus"), "The load balancer's addresses, if any."),
      conditions: keyedList(ref(meta("Condition")), "type", "The service's conditions."),
    },
    "The observed state of a service.",
  ),
  [core("LoadBalancerStatus")]: object(
    { ingress: atomicList(ref(core("LoadBalancerIngress")), "The addresses of the load balancer.") },
    "A load balancer's state.",
  ),
  [core("LoadBalancerIngress")]: object(
    {
      ip: string("An IP address of the load balancer."),
      hostname: string("A DNS name of the load balancer."),
      ipMode: enumOf(["Proxy", "VIP"], "How traffic for ip reaches nodes: VIP or Proxy."),
      ports: atomicList(ref(core("PortStatus")), "The state of each service port."),
    },
    "An address of a load balancer.",
  ),
  [core("PortStatus")]: object(
    {
      port: integer("The port number."),
      protocol,
      error: string("Why the port failed, in CamelCase, or empty."),
    },
    "The state of one load balancer port.",
    { required: ["port", "protocol"] },
  ),
  [core("ObjectReference")]: object(
    {
      kind: string("The kind of the object."),
      namespace: string("The namespace of the object."),
      name: string("The name of the object."),
      uid: string("The UID of the object."),
      apiVersion: string("The API version of the object."),
      resourceVersion: string("The resourceVersion the reference was taken at."),
      fieldPath: string("A part of the object, such as spec.containers{name}, rather than the whole."),
    },
    "A reference to an object, or part of one.",
    { mapType: "atomic" },
  ),
  [core("Endpoints")]: kindObject(
    v1("Endpoints"),
    "The addresses and ports behind a service, kept by the endpoints controller (superseded by EndpointSlice).",
    {
      subsets: atomicList(
        ref(core("EndpointSubset")),
        "Groups of addresses that share the same ports; the full set is the union of all subsets.",
      ),
    },
  ),
  [core("EndpointSubset")]: object(
    {
      addresses: atomicList(ref(core("EndpointAddress")), "Ready addresses."),
      notReadyAddresses: atomicList(ref(core("EndpointAddress")), "Addresses that are not ready yet."),
      ports: atomicList(ref(core("EndpointPort")), "The ports all addresses of the subset serve."),
    },
    "Addresses sharing a set of ports.",
  ),
  [core("EndpointAddress")]: object(
    {
      ip: string("The IP address."),
      hostname: string("The host name of the endpoint."),
      nodeName: string("The node hosting the endpoint."),
      targetRef: ref(core("ObjectReference"), "The object (usually a pod) behind the address."),
    },
    "One endpoint address.",
    { required: ["ip"], mapType: "atomic" },
  ),
  [core("EndpointPort")]: object(
    {
      name: string("The port's name, matching the service port's name."),
      port: integer("The port number."),
      protocol,
      appProtocol,
    },
    "One endpoint port.",
    { required: ["port"], mapType: "atomic" },
  ),
};
