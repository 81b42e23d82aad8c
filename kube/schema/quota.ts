// core/v1 ResourceQuota and LimitRange: a namespace's aggregate limits and its per-object defaults and bounds.
import { atomicList, core, type Definitions, enumOf, kindObject, map, object, quantity, ref, string } from "./dsl.ts";

const v1 = (kind: string) => ({ group: "", version: "v1", kind });
const resourceList = (description: string) => map(quantity(), description);

export const quotaDefinitions: Definitions = {
  [core("ResourceQuota")]: kindObject(v1("ResourceQuota"), "Aggregate resource limits for one namespace.", {
    spec: ref(core("ResourceQuotaSpec"), "The desired hard limits."),
    status: ref(core("ResourceQuotaStatus"), "The enforced hard limits and the observed usage. Read-only."),
  }),
  [core("ResourceQuotaSpec")]: object(
    {
      hard: resourceList("The hard limit for each named resource: counts (pods, count/<resource>) and amounts."),
      scopes: atomicList(
        enumOf([
          "Terminating",
          "NotTerminating",
          "BestEffort",
          "NotBestEffort",
          "PriorityClass",
          "CrossNamespacePodAffinity",
        ]),
        "Filters on the objects the quota tracks; every scope must match.",
      ),
      scopeSelector: ref(core("ScopeSelector"), "Scopes with operators and values (PriorityClass In a list)."),
    },
    "What the quota limits, and for which objects.",
  ),
  [core("ScopeSelector")]: object(
    { matchExpressions: atomicList(ref(core("ScopedResourceSelectorRequirement")), "Requirements, ANDed.") },
    "Scope requirements.",
  ),
  [core("ScopedResourceSelectorRequirement")]: object(
    {
      scopeName: string("The scope the requirement applies to."),
      operator: enumOf(["In", "NotIn", "Exists", "DoesNotExist"], "How the scope relates to the values."),
      values: atomicList(string(), "Values for In and NotIn; empty for Exists and DoesNotExist."),
    },
    "One scope requirement.",
    { required: ["scopeName", "operator"] },
  ),
  [core("ResourceQuotaStatus")]: object(
    {
      hard: resourceList("The hard limits enforced."),
      used: resourceList("The namespace's current usage of each limited resource."),
    },
    "The quota as enforced and observed.",
  ),
  [core("LimitRange")]: kindObject(
    v1("LimitRange"),
    "Defaults and bounds for the resources of each object in a namespace.",
    {
      spec: ref(core("LimitRangeSpec"), "The limits."),
    },
  ),
  [core("LimitRangeSpec")]: object(
    { limits: atomicList(ref(core("LimitRangeItem")), "The limits, one item per kind of object.") },
    "The limits of a LimitRange.",
    { required: ["limits"] },
  ),
  [core("LimitRangeItem")]: object(
    {
      type: string("The kind of object the item limits: Container, Pod or PersistentVolumeClaim."),
      max: resourceList("The most each resource may be."),
      min: resourceList("The least each resource may be."),
      default: resourceList("The limits a container gets when it states none."),
      defaultRequest: resourceList("The requests a container gets when it states none."),
      maxLimitRequestRatio: resourceList("The largest allowed ratio of limit to request for each resource."),
    },
    "Limits for one kind of object.",
    { required: ["type"] },
  ),
};
