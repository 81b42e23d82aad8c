// policy/v1 PodDisruptionBudget (and the Eviction body of pods/eviction is not a stored kind).
import {
  type Definitions,
  enumOf,
  integer,
  intOrString,
  int64,
  keyedList,
  kindObject,
  map,
  meta,
  object,
  ref,
  time,
} from "./dsl.ts";

const policy = (t: string) => `io.k8s.api.policy.v1.${t}`;

export const policyDefinitions: Definitions = {
  [policy("PodDisruptionBudget")]: kindObject(
    { group: "policy", version: "v1", kind: "PodDisruptionBudget" },
    "The most disruption a collection of pods may have at once (voluntary evictions only).",
    {
      spec: ref(policy("PodDisruptionBudgetSpec"), "The desired bounds."),
      status: ref(policy("PodDisruptionBudgetStatus"), "The most recently observed state. Read-only."),
    },
  ),
  [policy("PodDisruptionBudgetSpec")]: object(
    {
      minAvailable: intOrString("Pods that must stay available after an eviction: a number or a percent."),
      maxUnavailable: intOrString("Pods that may be unavailable after an eviction: a number or a percent."),
      selector: ref(meta("LabelSelector"), "The pods the budget covers; an empty selector selects every pod."),
      unhealthyPodEvictionPolicy: enumOf(
        ["AlwaysAllow", "IfHealthyBudget"],
        "When pods that are running but not ready may be evicted.",
      ),
    },
    "The budget's bounds and the pods it covers.",
  ),
  [policy("PodDisruptionBudgetStatus")]: object(
    {
      observedGeneration: int64("The generation this status reflects."),
      disruptedPods: map(time(), "Pods the eviction API has evicted but the controller has not yet seen deleted."),
      disruptionsAllowed: integer("How many pod disruptions are allowed now."),
      currentHealthy: integer("Healthy pods now."),
      desiredHealthy: integer("The minimum number of healthy pods wanted."),
      expectedPods: integer("Pods the budget counts (its controllers' replicas)."),
      conditions: keyedList(ref(meta("Condition")), "type", "DisruptionAllowed and friends."),
    },
    "The budget's observed state.",
    { required: ["disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"] },
  ),
};
