// autoscaling/v2 HorizontalPodAutoscaler (the storage version) and autoscaling/v1, which is served
// as a conversion of it (upstream staging/src/k8s.io/api/autoscaling/{v1,v2}/types.go). The
// alpha `tolerance` of HPAScalingRules is left out: its feature gate is off by default, so
// upstream drops the field as well.
import {
  atomicList,
  type Definitions,
  enumOf,
  int64,
  integer,
  keyedList,
  kindObject,
  meta,
  object,
  quantity,
  ref,
  string,
  time,
} from "./dsl.ts";
import { workloadCondition } from "./workloads.ts";

const v2 = (t: string) => `io.k8s.api.autoscaling.v2.${t}`;
const v1 = (t: string) => `io.k8s.api.autoscaling.v1.${t}`;

const HPA_DESCRIPTION =
  "Scales a workload (through its scale subresource) to keep the metrics it watches near their targets.";

const crossVersionReference = (what: string) =>
  object(
    {
      kind: string('The kind of the referent, such as "Deployment".'),
      name: string("The name of the referent."),
      apiVersion: string("The API version of the referent, such as apps/v1."),
    },
    `Identifies ${what}.`,
    { required: ["kind", "name"] },
  );

const METRIC_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"];
const metricType = (what: string) =>
  enumOf(METRIC_TYPES, `Which ${what} field is set: ContainerResource, External, Object, Pods or Resource.`);

// What an HPA scales and on what, one definition per upstream type.
const specDefinitions: Definitions = {
  [v2("HorizontalPodAutoscaler")]: kindObject(
    { group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler" },
    HPA_DESCRIPTION,
    {
      spec: ref(v2("HorizontalPodAutoscalerSpec"), "What to scale, between which bounds, and on which metrics."),
      status: ref(v2("HorizontalPodAutoscalerStatus"), "The autoscaler's last observed state. Read-only."),
    },
  ),
  [v2("HorizontalPodAutoscalerSpec")]: object(
    {
      scaleTargetRef: ref(
        v2("CrossVersionObjectReference"),
        "The workload to scale: its pods are measured and its replica count is changed.",
      ),
      minReplicas: integer("The fewest replicas to scale down to. Defaults to 1."),
      maxReplicas: integer("The most replicas to scale up to; not less than minReplicas."),
      metrics: atomicList(
        ref(v2("MetricSpec")),
        "The metrics to scale on; the largest replica count any of them asks for wins. Defaults to 80% average CPU utilization.",
      ),
      behavior: ref(
        v2("HorizontalPodAutoscalerBehavior"),
        "How fast to scale up and down. Unset fields take the defaults (scale-down stabilizes over 300 seconds).",
      ),
    },
    "The desired behaviour of an autoscaler.",
    { required: ["scaleTargetRef", "maxReplicas"] },
  ),
  [v2("CrossVersionObjectReference")]: crossVersionReference("an object in any API version"),
  [v2("MetricSpec")]: object(
    {
      type: metricType("source"),
      object: ref(v2("ObjectMetricSource"), "A metric describing a single object (requests per second on an Ingress)."),
      pods: ref(v2("PodsMetricSource"), "A metric of each pod, averaged over the pods (transactions per second)."),
      resource: ref(
        v2("ResourceMetricSource"),
        "A resource metric (cpu or memory) of each pod, summed over its containers, as metrics-server reports it.",
      ),
      containerResource: ref(
        v2("ContainerResourceMetricSource"),
        "A resource metric (cpu or memory) of one named container in each pod.",
      ),
      external: ref(v2("ExternalMetricSource"), "A metric from outside the cluster (a queue's length)."),
    },
    "One metric to scale on, and its target.",
    { required: ["type"] },
  ),
  [v2("ResourceMetricSource")]: object(
    {
      name: string("The resource: cpu or memory."),
      target: ref(v2("MetricTarget"), "The value to hold the metric at."),
    },
    "A resource metric of the pods, compared with their requests (Utilization) or with a raw value (AverageValue).",
    { required: ["name", "target"] },
  ),
  [v2("ContainerResourceMetricSource")]: object(
    {
      name: string("The resource: cpu or memory."),
      target: ref(v2("MetricTarget"), "The value to hold the metric at."),
      container: string("The container in each pod whose usage counts."),
    },
    "A resource metric of one container in each pod.",
    { required: ["name", "target", "container"] },
  ),
  [v2("ObjectMetricSource")]: object(
    {
      describedObject: ref(v2("CrossVersionObjectReference"), "The object the metric describes."),
      target: ref(v2("MetricTarget"), "The value to hold the metric at."),
      metric: ref(v2("MetricIdentifier"), "The metric, by name and selector."),
    },
    "A metric describing a Kubernetes object.",
    { required: ["describedObject", "target", "metric"] },
  ),
  [v2("PodsMetricSource")]: object(
    {
      metric: ref(v2("MetricIdentifier"), "The metric, by name and selector."),
      target: ref(v2("MetricTarget"), "The value to hold the metric at; only AverageValue is supported."),
    },
    "A metric of each pod of the target, averaged before comparing with the target.",
    { required: ["metric", "target"] },
  ),
  [v2("ExternalMetricSource")]: object(
    {
      metric: ref(v2("MetricIdentifier"), "The metric, by name and selector."),
      target: ref(v2("MetricTarget"), "The value to hold the metric at."),
    },
    "A metric not tied to any Kubernetes object.",
    { required: ["metric", "target"] },
  ),
  [v2("MetricIdentifier")]: object(
    {
      name: string("The name of the metric."),
      selector: ref(meta("LabelSelector"), "Labels narrowing the metric down; unset means the name alone."),
    },
    "Names a metric and, optionally, selects among its series.",
    { required: ["name"] },
  ),
  [v2("MetricTarget")]: object(
    {
      type: enumOf(
        ["AverageValue", "Utilization", "Value"],
        "Which target field is set: Utilization, Value or AverageValue.",
      ),
      value: quantity("The target value of the metric, as a quantity."),
      averageValue: quantity("The target value of the metric averaged over the pods, as a quantity."),
      averageUtilization: integer(
        "The target usage as a percentage of the pods' requests, averaged over the pods (Resource and ContainerResource only).",
      ),
    },
    "The target value, average value or average utilization of a metric.",
    { required: ["type"] },
  ),
};

const behaviorDefinitions: Definitions = {
  [v2("HorizontalPodAutoscalerBehavior")]: object(
    {
      scaleUp: ref(
        v2("HPAScalingRules"),
        "Rules for scaling up. Default: no stabilization; add the larger of 4 pods or 100% every 15 seconds.",
      ),
      scaleDown: ref(
        v2("HPAScalingRules"),
        "Rules for scaling down. Default: stabilize over 300 seconds; remove up to 100% every 15 seconds.",
      ),
    },
    "How the autoscaler scales up and down.",
  ),
  [v2("HPAScalingRules")]: object(
    {
      stabilizationWindowSeconds: integer(
        "Seconds of past recommendations to consider: scaling up uses their lowest, scaling down their highest (0 to 3600).",
      ),
      selectPolicy: enumOf(
        ["Disabled", "Max", "Min"],
        "Which policy applies when several do: Max (the largest change, the default), Min, or Disabled (no scaling in this direction).",
      ),
      policies: atomicList(
        ref(v2("HPAScalingPolicy")),
        "The changes allowed per period. At least one unless Disabled.",
      ),
    },
    "How fast to scale in one direction.",
  ),
  [v2("HPAScalingPolicy")]: object(
    {
      type: enumOf(["Percent", "Pods"], "Pods (a number of pods) or Percent (of the current replicas)."),
      value: integer("The amount of change allowed; greater than zero."),
      periodSeconds: integer("The window, in seconds, the policy holds over (1 to 1800)."),
    },
    "One rule for how much may change within a period.",
    { required: ["type", "value", "periodSeconds"] },
  ),
};

const statusDefinitions: Definitions = {
  [v2("HorizontalPodAutoscalerStatus")]: object(
    {
      observedGeneration: int64("The generation this status reflects."),
      lastScaleTime: time("When the autoscaler last changed the number of replicas."),
      currentReplicas: integer("The replicas of the target as last seen by the autoscaler."),
      desiredReplicas: integer("The replicas the autoscaler last asked for."),
      currentMetrics: atomicList(ref(v2("MetricStatus")), "The last read value of each metric."),
      conditions: keyedList(
        ref(v2("HorizontalPodAutoscalerCondition")),
        "type",
        "AbleToScale, ScalingActive and ScalingLimited: whether and why the autoscaler can act.",
      ),
    },
    "The autoscaler's observed state.",
    { required: ["desiredReplicas"] },
  ),
  [v2("HorizontalPodAutoscalerCondition")]: workloadCondition("horizontal pod autoscaler"),
  [v2("MetricStatus")]: object(
    {
      type: metricType("status"),
      object: ref(v2("ObjectMetricStatus"), "The current value of an object metric."),
      pods: ref(v2("PodsMetricStatus"), "The current value of a pods metric."),
      resource: ref(v2("ResourceMetricStatus"), "The current value of a resource metric."),
      containerResource: ref(v2("ContainerResourceMetricStatus"), "The current value of a container resource metric."),
      external: ref(v2("ExternalMetricStatus"), "The current value of an external metric."),
    },
    "The last read state of one metric.",
    { required: ["type"] },
  ),
  [v2("ResourceMetricStatus")]: object(
    {
      name: string("The resource: cpu or memory."),
      current: ref(v2("MetricValueStatus"), "The current value."),
    },
    "The current value of a resource metric, averaged over the pods.",
    { required: ["name", "current"] },
  ),
  [v2("ContainerResourceMetricStatus")]: object(
    {
      name: string("The resource: cpu or memory."),
      current: ref(v2("MetricValueStatus"), "The current value."),
      container: string("The container whose usage counts."),
    },
    "The current value of a container resource metric, averaged over the pods.",
    { required: ["name", "current", "container"] },
  ),
  [v2("ObjectMetricStatus")]: object(
    {
      metric: ref(v2("MetricIdentifier"), "The metric, by name and selector."),
      current: ref(v2("MetricValueStatus"), "The current value."),
      describedObject: ref(v2("CrossVersionObjectReference"), "The object the metric describes."),
    },
    "The current value of an object metric.",
    { required: ["metric", "current", "describedObject"] },
  ),
  [v2("PodsMetricStatus")]: object(
    {
      metric: ref(v2("MetricIdentifier"), "The metric, by name and selector."),
      current: ref(v2("MetricValueStatus"), "The current value."),
    },
    "The current value of a pods metric, averaged over the pods.",
    { required: ["metric", "current"] },
  ),
  [v2("ExternalMetricStatus")]: object(
    {
      metric: ref(v2("MetricIdentifier"), "The metric, by name and selector."),
      current: ref(v2("MetricValueStatus"), "The current value."),
    },
    "The current value of an external metric.",
    { required: ["metric", "current"] },
  ),
  [v2("MetricValueStatus")]: object(
    {
      value: quantity("The current value, as a quantity."),
      averageValue: quantity("The current value averaged over the pods, as a quantity."),
      averageUtilization: integer("The current usage as a percentage of the pods' requests, averaged over the pods."),
    },
    "The current value of a metric.",
  ),
};

// autoscaling/v1: CPU utilization only; the rest travels in annotations (see the v1 kind).
const v1Definitions: Definitions = {
  [v1("HorizontalPodAutoscaler")]: kindObject(
    { group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler" },
    HPA_DESCRIPTION,
    {
      spec: ref(v1("HorizontalPodAutoscalerSpec"), "What to scale, between which bounds, and the CPU target."),
      status: ref(v1("HorizontalPodAutoscalerStatus"), "The autoscaler's last observed state. Read-only."),
    },
  ),
  [v1("HorizontalPodAutoscalerSpec")]: object(
    {
      scaleTargetRef: ref(
        v1("CrossVersionObjectReference"),
        "The workload to scale: its pods are measured and its replica count is changed.",
      ),
      minReplicas: integer("The fewest replicas to scale down to. Defaults to 1."),
      maxReplicas: integer("The most replicas to scale up to; not less than minReplicas."),
      targetCPUUtilizationPercentage: integer(
        "The target average CPU usage as a percentage of the pods' requests. Defaults to 80.",
      ),
    },
    "The desired behaviour of an autoscaler.",
    { required: ["scaleTargetRef", "maxReplicas"] },
  ),
  [v1("CrossVersionObjectReference")]: crossVersionReference("an object in any API version"),
  [v1("HorizontalPodAutoscalerStatus")]: object(
    {
      observedGeneration: int64("The generation this status reflects."),
      lastScaleTime: time("When the autoscaler last changed the number of replicas."),
      currentReplicas: integer("The replicas of the target as last seen by the autoscaler."),
      desiredReplicas: integer("The replicas the autoscaler last asked for."),
      currentCPUUtilizationPercentage: integer("The current average CPU usage as a percentage of the pods' requests."),
    },
    "The autoscaler's observed state.",
    { required: ["currentReplicas", "desiredReplicas"] },
  ),
};

export const autoscalingDefinitions: Definitions = {
  ...specDefinitions,
  ...behaviorDefinitions,
  ...statusDefinitions,
  ...v1Definitions,
};
