// core/v1 scheduling constraints: node and pod (anti-)affinity, tolerations, topology spread.
import {
  atomicList,
  core,
  type Definitions,
  enumOf,
  int64,
  integer,
  meta,
  object,
  ref,
  type Schema,
  string,
} from "./dsl.ts";

const podTermsFields = (verb: string): Record<string, Schema> => ({
  requiredDuringSchedulingIgnoredDuringExecution: atomicList(
    ref(core("PodAffinityTerm")),
    `Hard rules: the pod is only scheduled where every term holds (${verb}). Not re-checked once the pod runs.`,
  ),
  preferredDuringSchedulingIgnoredDuringExecution: atomicList(
    ref(core("WeightedPodAffinityTerm")),
    `Soft rules: nodes where terms hold (${verb}) score higher by each term's weight.`,
  ),
});

export const affinityDefinitions: Definitions = {
  [core("Affinity")]: object(
    {
      nodeAffinity: ref(core("NodeAffinity"), "Rules about which nodes the pod may or prefers to run on."),
      podAffinity: ref(core("PodAffinity"), "Rules to place the pod near other pods (same node, zone, …)."),
      podAntiAffinity: ref(core("PodAntiAffinity"), "Rules to keep the pod away from other pods."),
    },
    "Scheduling constraints of a pod.",
  ),
  [core("NodeAffinity")]: object(
    {
      requiredDuringSchedulingIgnoredDuringExecution: ref(
        core("NodeSelector"),
        "Hard rule: the pod is only scheduled on nodes that match. Not re-checked once the pod runs.",
      ),
      preferredDuringSchedulingIgnoredDuringExecution: atomicList(
        ref(core("PreferredSchedulingTerm")),
        "Soft rules: matching nodes score higher by each term's weight.",
      ),
    },
    "Node affinity rules of a pod.",
  ),
  [core("NodeSelector")]: object(
    {
      nodeSelectorTerms: atomicList(
        ref(core("NodeSelectorTerm")),
        "The terms, ORed: a node matches when any term matches.",
      ),
    },
    "Selects nodes: the union of its terms.",
    { required: ["nodeSelectorTerms"], mapType: "atomic" },
  ),
  [core("NodeSelectorTerm")]: object(
    {
      matchExpressions: atomicList(ref(core("NodeSelectorRequirement")), "Requirements on node labels, ANDed."),
      matchFields: atomicList(
        ref(core("NodeSelectorRequirement")),
        "Requirements on node fields (only metadata.name), ANDed.",
      ),
    },
    "A node selector term: all its requirements must hold. An empty term matches nothing.",
    { mapType: "atomic" },
  ),
  [core("NodeSelectorRequirement")]: object(
    {
      key: string("The label key (or field name) the requirement applies to."),
      operator: enumOf(
        ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
        "How key relates to values: In, NotIn, Exists, DoesNotExist, Gt or Lt.",
      ),
      values: atomicList(
        string(),
        "Values for In/NotIn (non-empty), none for Exists/DoesNotExist, a single integer for Gt/Lt.",
      ),
    },
    "One requirement on a node label or field.",
    { required: ["key", "operator"] },
  ),
  [core("PreferredSchedulingTerm")]: object(
    {
      weight: integer("Score added to matching nodes, from 1 to 100."),
      preference: ref(core("NodeSelectorTerm"), "The term a node should match."),
    },
    "A weighted node preference.",
    { required: ["weight", "preference"] },
  ),
  [core("PodAffinity")]: object(podTermsFields("near matching pods"), "Pod affinity rules of a pod."),
  [core("PodAntiAffinity")]: object(podTermsFields("away from matching pods"), "Pod anti-affinity rules of a pod."),
  [core("PodAffinityTerm")]: object(
    {
      labelSelector: ref(meta("LabelSelector"), "Which pods the term is about."),
      namespaceSelector: ref(
        meta("LabelSelector"),
        "Namespaces to look for those pods in, by label; combined with namespaces. An empty selector means all namespaces.",
      ),
      namespaces: atomicList(string(), "Namespaces to look for those pods in; empty means the pod's own namespace."),
      topologyKey: string(
        "The node label that defines 'near': nodes with the same value of this label (such as kubernetes.io/hostname or topology.kubernetes.io/zone) count as co-located.",
      ),
      matchLabelKeys: atomicList(
        string(),
        "Label keys whose values are taken from the incoming pod and added to labelSelector as In requirements.",
      ),
      mismatchLabelKeys: atomicList(
        string(),
        "Label keys whose values are taken from the incoming pod and added to labelSelector as NotIn requirements.",
      ),
    },
    "Selects a set of pods and a topology in which the pod should (or should not) be co-located with them.",
    { required: ["topologyKey"] },
  ),
  [core("WeightedPodAffinityTerm")]: object(
    {
      weight: integer("Score added to nodes where the term holds, from 1 to 100."),
      podAffinityTerm: ref(core("PodAffinityTerm"), "The term."),
    },
    "A weighted pod (anti-)affinity preference.",
    { required: ["weight", "podAffinityTerm"] },
  ),
  [core("Toleration")]: object(
    {
      key: string("The taint key this toleration matches; empty with operator Exists matches every taint."),
      operator: enumOf(["Equal", "Exists"], "Equal (the default) matches the taint's value; Exists matches any value."),
      value: string("The taint value to match with Equal; empty for Exists."),
      effect: enumOf(
        ["NoExecute", "NoSchedule", "PreferNoSchedule"],
        "The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.",
      ),
      tolerationSeconds: int64(
        "For NoExecute: how long the pod stays bound after the taint appears; unset means forever, 0 or less means evict at once.",
      ),
    },
    "Lets the pod be scheduled onto (and stay on) nodes with a matching taint.",
  ),
  [core("TopologySpreadConstraint")]: object(
    {
      maxSkew: integer(
        "How unevenly matching pods may be spread: the largest allowed difference between a domain's count and the smallest count. At least 1.",
      ),
      topologyKey: string("The node label whose values define the domains, such as topology.kubernetes.io/zone."),
      whenUnsatisfiable: enumOf(
        ["DoNotSchedule", "ScheduleAnyway"],
        "What to do when the constraint cannot be met: DoNotSchedule (hard) or ScheduleAnyway (prefer less skew).",
      ),
      labelSelector: ref(meta("LabelSelector"), "Which pods are counted in each domain."),
      minDomains: integer(
        "With DoNotSchedule: the number of domains assumed to exist at least, for the skew computation.",
      ),
      nodeAffinityPolicy: enumOf(
        ["Honor", "Ignore"],
        "Whether the pod's nodeAffinity and nodeSelector limit the nodes counted: Honor (the default) or Ignore.",
      ),
      nodeTaintsPolicy: enumOf(
        ["Honor", "Ignore"],
        "Whether tainted nodes the pod does not tolerate are counted: Honor excludes them, Ignore (the default) includes them.",
      ),
      matchLabelKeys: atomicList(
        string(),
        "Label keys whose values are taken from the incoming pod and ANDed into labelSelector.",
      ),
    },
    "How pods matching a selector are spread across topology domains.",
    { required: ["maxSkew", "topologyKey", "whenUnsatisfiable"] },
  ),
};
