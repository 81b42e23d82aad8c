// Field numbers and types from k8s.io/api/autoscaling/v1 and v2 generated.proto: HorizontalPodAutoscaler, as
// `kubectl autoscale` sends it (v1 up to kubectl 1.32, v2 first from 1.33). Both versions share message names
// upstream; here the v1 messages carry a V1 suffix. Format: see ../schema.ts.
import { parseMessages } from "../schema.ts";

export const AUTOSCALING_MESSAGES = parseMessages(`
CrossVersionObjectReference
  1 kind string
  2 name string
  3 apiVersion string
HorizontalPodAutoscalerV1
  1 metadata ObjectMeta
  2 spec HorizontalPodAutoscalerSpecV1
  # status: skipped (kubectl sends it empty; the server owns status)
HorizontalPodAutoscalerSpecV1
  1 scaleTargetRef CrossVersionObjectReference
  2 minReplicas int32?
  3 maxReplicas int32
  4 targetCPUUtilizationPercentage int32?
HorizontalPodAutoscaler
  1 metadata ObjectMeta
  2 spec HorizontalPodAutoscalerSpec
  # status: skipped (kubectl sends it empty; the server owns status)
HorizontalPodAutoscalerSpec
  1 scaleTargetRef CrossVersionObjectReference
  2 minReplicas int32?
  3 maxReplicas int32
  4 metrics MetricSpec[]
  5 behavior HorizontalPodAutoscalerBehavior
MetricSpec
  1 type string
  4 resource ResourceMetricSource
  7 containerResource ContainerResourceMetricSource
  # object, pods and external sources: kubectl autoscale never sends them
ResourceMetricSource
  1 name string
  2 target MetricTarget
ContainerResourceMetricSource
  1 name string
  2 target MetricTarget
  3 container string
MetricTarget
  1 type string
  2 value Quantity
  3 averageValue Quantity
  4 averageUtilization int32?
HorizontalPodAutoscalerBehavior
  1 scaleUp HPAScalingRules
  2 scaleDown HPAScalingRules
HPAScalingRules
  3 stabilizationWindowSeconds int32?
  1 selectPolicy string?
  2 policies HPAScalingPolicy[]
HPAScalingPolicy
  1 type string
  2 value int32
  3 periodSeconds int32
`);

/** apiVersion → kind → message, for KIND_MESSAGES. */
export const AUTOSCALING_KINDS = {
  "autoscaling/v1": { HorizontalPodAutoscaler: "HorizontalPodAutoscalerV1" },
  "autoscaling/v2": { HorizontalPodAutoscaler: "HorizontalPodAutoscaler" },
};
