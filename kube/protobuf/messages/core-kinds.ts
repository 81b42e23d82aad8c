// Field numbers and types from k8s.io/api/core/v1/generated.proto: the top-level kinds (and their small parts) served
// here. Checked against the descriptors compiled into kubectl 1.32. Format: see ../schema.ts.
import { parseMessages } from "../schema.ts";

export const CORE_KIND_MESSAGES = parseMessages(`
Namespace
  1 metadata ObjectMeta
  2 spec NamespaceSpec
  # status: skipped (kubectl sends it empty; the server owns status)
NamespaceSpec
  1 finalizers string[]
ConfigMap
  1 metadata ObjectMeta
  4 immutable bool?
  2 data map<string>
  3 binaryData map<bytes>
Secret
  1 metadata ObjectMeta
  5 immutable bool?
  2 data map<bytes>
  4 stringData map<string>
  3 type string
Service
  1 metadata ObjectMeta
  2 spec ServiceSpec
  # status: skipped (kubectl sends it empty; the server owns status)
ServiceSpec
  1 ports ServicePort[]
  2 selector map<string>
  3 clusterIP string
  18 clusterIPs string[]
  4 type string
  5 externalIPs string[]
  7 sessionAffinity string
  8 loadBalancerIP string
  9 loadBalancerSourceRanges string[]
  10 externalName string
  11 externalTrafficPolicy string
  12 healthCheckNodePort int32
  13 publishNotReadyAddresses bool
  14 sessionAffinityConfig SessionAffinityConfig
  19 ipFamilies string[]
  17 ipFamilyPolicy string?
  20 allocateLoadBalancerNodePorts bool?
  21 loadBalancerClass string?
  22 internalTrafficPolicy string?
  23 trafficDistribution string?
ServicePort
  1 name string
  2 protocol string
  6 appProtocol string?
  3 port int32
  4 targetPort IntOrString
  5 nodePort int32
SessionAffinityConfig
  1 clientIP ClientIPConfig
ClientIPConfig
  1 timeoutSeconds int32?
ServiceAccount
  1 metadata ObjectMeta
  2 secrets ObjectReference[]
  3 imagePullSecrets LocalObjectReference[]
  4 automountServiceAccountToken bool?
ObjectReference
  1 kind string
  2 namespace string
  3 name string
  4 uid string
  5 apiVersion string
  6 resourceVersion string
  7 fieldPath string
Pod
  1 metadata ObjectMeta
  2 spec PodSpec
  # status: skipped (kubectl sends it empty; the server owns status)
PodTemplateSpec
  1 metadata ObjectMeta
  2 spec PodSpec
`);
