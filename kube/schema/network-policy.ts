// networking.k8s.io/v1 NetworkPolicy (the group's Ingress kinds live in their own file).
import {
  atomicList,
  type Definitions,
  enumOf,
  integer,
  intOrString,
  kindObject,
  meta,
  object,
  ref,
  string,
} from "./dsl.ts";

const networking = (t: string) => `io.k8s.api.networking.v1.${t}`;

const PORTS = "Ports the rule allows; empty or missing allows every port.";

export const networkPolicyDefinitions: Definitions = {
  [networking("NetworkPolicy")]: kindObject(
    { group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy" },
    "The network traffic allowed to and from a set of pods.",
    { spec: ref(networking("NetworkPolicySpec"), "The pods the policy selects and the traffic it allows them.") },
  ),
  [networking("NetworkPolicySpec")]: object(
    {
      podSelector: ref(
        meta("LabelSelector"),
        "The pods of the policy's namespace it applies to; an empty selector selects them all.",
      ),
      ingress: atomicList(
        ref(networking("NetworkPolicyIngressRule")),
        "Traffic allowed in, in addition to other policies'.",
      ),
      egress: atomicList(
        ref(networking("NetworkPolicyEgressRule")),
        "Traffic allowed out, in addition to other policies'.",
      ),
      policyTypes: atomicList(
        enumOf(["Ingress", "Egress"]),
        "Which directions the policy isolates; by default Ingress, and Egress when there are egress rules.",
      ),
    },
    "What a NetworkPolicy selects and allows.",
  ),
  [networking("NetworkPolicyIngressRule")]: object(
    {
      ports: atomicList(ref(networking("NetworkPolicyPort")), PORTS),
      from: atomicList(ref(networking("NetworkPolicyPeer")), "Sources allowed; empty or missing allows every source."),
    },
    "Traffic allowed to the selected pods: from any of the peers, to any of the ports.",
  ),
  [networking("NetworkPolicyEgressRule")]: object(
    {
      ports: atomicList(ref(networking("NetworkPolicyPort")), PORTS),
      to: atomicList(
        ref(networking("NetworkPolicyPeer")),
        "Destinations allowed; empty or missing allows every destination.",
      ),
    },
    "Traffic allowed from the selected pods: to any of the peers, on any of the ports.",
  ),
  [networking("NetworkPolicyPort")]: object(
    {
      protocol: enumOf(["SCTP", "TCP", "UDP"], "The protocol, TCP by default."),
      port: intOrString("A port number or the name of a port on the destination pod; missing matches every port."),
      endPort: integer("With a numeric port: the last port of the range starting there."),
    },
    "A port (or range) and protocol.",
  ),
  [networking("NetworkPolicyPeer")]: object(
    {
      podSelector: ref(
        meta("LabelSelector"),
        "Pods selected by labels (in the policy's namespace unless namespaceSelector is set).",
      ),
      namespaceSelector: ref(
        meta("LabelSelector"),
        "Namespaces selected by labels; with podSelector, the pods so selected in them.",
      ),
      ipBlock: ref(networking("IPBlock"), "A range of IP addresses; cannot be combined with the selectors."),
    },
    "A peer of a NetworkPolicy rule.",
  ),
  [networking("IPBlock")]: object(
    {
      cidr: string("The range, such as 192.168.1.0/24 or 2001:db8::/64."),
      except: atomicList(string(), "Ranges inside cidr left out of the block."),
    },
    "A CIDR range, less some ranges inside it.",
    { required: ["cidr"] },
  ),
};
