// The node agent protocol (DESIGN.md, "The agent protocol"): pure wire types shared by the agent and the
// cluster object. Both requests are JSON POSTs under the cluster URL:
//   POST <cluster>/agent/join   Authorization: Bearer <join token>        JoinRequest  → JoinResponse
//   POST <cluster>/agent/sync   Authorization: Bearer <node credential>   SyncRequest  → SyncResponse
//   POST <cluster>/agent/pod-token  (node credential)  PodTokenRequest → PodTokenResponse
//   POST <cluster>/agent/serving-certificate  (node credential)  ServingCertificateRequest → …Response
// Errors are Kubernetes Status objects (401 for a bad token, 403 for a credential acting beyond its node).
import type { PolicyView } from "./network-policy-plan.ts";
import type { ConfigMap, NodeAddress, NodeCondition, NodeSystemInfo, Pod, PodStatus, Secret } from "./pod-types.ts";

export const AGENT_JOIN_PATH = "/agent/join";
export const AGENT_SYNC_PATH = "/agent/sync";
export const AGENT_POD_TOKEN_PATH = "/agent/pod-token";

/**
 * A bound ServiceAccount token for a pod on the asking node, for one serviceAccountToken projection of its
 * volumes (the kubelet's TokenRequest with boundObjectRef to the pod).
 */
export interface PodTokenRequest {
  namespace: string;
  podName: string;
  podUID: string;
  /** Absent: the API's own audiences. */
  audience?: string;
  expirationSeconds: number;
}

export interface PodTokenResponse {
  token: string;
  /** RFC 3339: when the token is due to be refreshed by (the requested life, as TokenRequest's status says). */
  expirationTimestamp: string;
}

export const AGENT_SERVING_CERT_PATH = "/agent/serving-certificate";

/**
 * The agent's own key for serving the in-cluster API endpoint (`kubernetes.default.svc`): the cluster CA
 * certifies it for upstream's in-cluster names and the `kubernetes` Service's IP, nothing the agent chooses.
 */
export interface ServingCertificateRequest {
  nodeName: string;
  /** DER SubjectPublicKeyInfo of an ECDSA P-256 key, base64. */
  publicKey: string;
}

export interface ServingCertificateResponse {
  /** PEM. */
  certificate: string;
  /** The cluster CA's certificate (PEM), what pods get as ca.crt. */
  ca: string;
  /** The `kubernetes` Service's cluster IP the certificate names. */
  clusterIP: string;
}

/** The heartbeat interval the object uses unless it chooses a longer one. */
export const DEFAULT_HEARTBEAT_SECONDS = 10;

export interface JoinRequest {
  nodeName: string;
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  nodeInfo: NodeSystemInfo;
  addresses: NodeAddress[];
  /** Extra labels for the Node; the object adds kubernetes.io/hostname, os and arch itself as well. */
  labels: Record<string, string>;
  /**
   * IPv4 networks already in use on the node's host (other runtime networks, routes): node IPAM gives the
   * node no pod range overlapping them, so its bridge never collides with another cluster's on one machine.
   */
  hostSubnets?: string[];
  /** Where the built-in provisioner's volumes live on this node (the Node's flotilla.dev/volume-dir annotation). */
  volumeDir?: string;
}

/**
 * Where the object keeps a joining node's hostSubnets (on its Node): node IPAM gives the node no range
 * overlapping them, or its runtime would refuse the bridge.
 */
export const HOST_SUBNETS_ANNOTATION = "node.flotilla.dev/host-subnets";

export interface JoinResponse {
  nodeName: string;
  /** A bearer token with role "node" whose subject is nodeName. Shown only once. */
  nodeCredential: string;
  heartbeatSeconds: number;
}

/** The node's status as the agent sees it. Sent in full, but only when it changed since the last sync. */
export interface AgentNodeStatus {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  conditions: NodeCondition[];
  addresses: NodeAddress[];
  nodeInfo: NodeSystemInfo;
}

export interface PodStatusUpdate {
  uid: string;
  namespace: string;
  name: string;
  status: PodStatus;
}

/** An event about one pod (pulls, starts, kills, probe failures, back-offs). */
export interface AgentEvent {
  podUID: string;
  namespace: string;
  podName: string;
  /** e.g. "spec.containers{web}", as upstream's involvedObject.fieldPath. */
  fieldPath?: string;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
}

export interface KnownPod {
  uid: string;
  resourceVersion: string;
}

export interface SyncRequest {
  nodeName: string;
  /** Present on the first sync after start and whenever the node's status changed. */
  nodeStatus?: AgentNodeStatus;
  /** Pod statuses that changed since the last acknowledged sync. */
  podStatuses: PodStatusUpdate[];
  /** Pods being deleted whose containers are all gone: the object may now remove them. */
  terminated: string[];
  events: AgentEvent[];
  /**
   * Every pod the agent holds, with the resourceVersion it last received (or was acknowledged). The object
   * compares against these after writing this request's pod statuses, counting its own status write as
   * known when it was made on the version given here, so a status update does not bounce back as a
   * changed pod, while a change that came before it (a deletion) is never taken as known.
   */
  known: KnownPod[];
  /** The longest the object may hold the request open when nothing changes for the node. 0: answer at once. */
  waitSeconds: number;
  /** Resource usage, at most once per heartbeat interval (kept in the object's memory, never stored). */
  metrics?: MetricsReport;
  /**
   * The agent runs a service proxy: answer with `services`, and answer at once when they change. Agents
   * without one (simulated nodes) are neither sent them nor woken for them.
   */
  wantServices?: boolean;
  /**
   * The agent serves cluster DNS: answer with `dns` whenever the cluster's DNS data differs from
   * `dnsVersion` (the version of the data it holds; absent: it holds none).
   */
  wantDNS?: boolean;
  dnsVersion?: string;
  /** The agent keeps provisioned volumes on disk: answer with `volumes`, and at once when one of its goes. */
  wantVolumes?: boolean;
  /** With wantVolumes: where they live (kept on the Node as at join, for nodes that joined before it was sent). */
  volumeDir?: string;
  /**
   * The agent enforces NetworkPolicies: answer with `networkPolicies` whenever the data differs from
   * `networkPolicyVersion` (the version it holds; absent: none).
   */
  wantNetworkPolicies?: boolean;
  networkPolicyVersion?: string;
}

/** One container's usage: CPU as a rate over the report's window, memory as the working set. */
export interface ContainerUsage {
  name: string;
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface PodUsage {
  uid: string;
  namespace: string;
  name: string;
  containers: ContainerUsage[];
}

/** What metrics-server would scrape from a kubelet: node and per-container usage over a window. */
export interface MetricsReport {
  /** RFC 3339: when the usage was measured (the end of the window). */
  timestamp: string;
  windowSeconds: number;
  node: { cpuNanoCores: number; memoryBytes: number };
  pods: PodUsage[];
}

/** A pod to run, with the config maps and secrets its env, envFrom and volumes reference. */
export interface PodAssignment {
  pod: Pod;
  configMaps: Record<string, ConfigMap>;
  secrets: Record<string, Secret>;
  /** Pod volume name → where its claim's volume lives, for persistentVolumeClaim and ephemeral volumes. */
  claims?: Record<string, ClaimVolume>;
}

/** The PersistentVolume a pod's claim is bound to, as the node mounts it. */
export interface ClaimVolume {
  claimName: string;
  volumeName: string;
  /** The directory on the node (local.path or hostPath.path). */
  path: string;
  /** Made by the built-in provisioner: the agent creates the directory on first use and removes it when the volume goes. */
  provisioned: boolean;
  /** A hostPath volume's type (DirectoryOrCreate …); a local volume's path must exist. */
  hostPathType?: string;
  /** A volume the node cannot serve (another plugin): the mount fails with this. */
  unsupported?: string;
}

export interface SyncResponse {
  /** Pods bound to the node that are new or changed relative to `known` (including ones being deleted). */
  pods: PodAssignment[];
  /** Known pod uids that no longer exist for this node: stop and forget them at once. */
  stop: string[];
  /**
   * resourceVersions the object gave pods whose status it wrote from this request (uid → rv), only for writes
   * made on the version the agent said it holds: a pod that changed in between (a deletion) is sent in `pods`.
   */
  acknowledged: Record<string, string>;
  /** Seconds until the next sync should start (the object may lengthen it as the cluster grows). */
  heartbeatSeconds: number;
  /** Events of the request that were dropped: not about a pod bound to this node (absent when none were). */
  refusedEvents?: number;
  /**
   * The Services of the namespaces the node runs pods in (and `kubernetes` in default), for pod
   * environment variables and the node-local service proxy; only when the request asked (wantServices).
   * Absent: keep what you had.
   */
  services?: SyncService[];
  /** The node's spec.podCIDR once node IPAM gave it one: the agent's pod network is built on it. */
  podCIDR?: string;
  /**
   * Every node's pod CIDR (with services, only when the request asked): where another node's pod IPs live,
   * so the agent relays connections to them through the tunnel.
   */
  nodeCIDRs?: NodeCIDR[];
  /** What cluster DNS answers from, when the request asked (wantDNS) and it changed since `dnsVersion`. */
  dns?: ClusterDNSData;
  /**
   * The directories of the built-in provisioner's volumes on this node, when the request asked (wantVolumes):
   * any other volume directory under the node's volume dir belonged to a deleted volume and is removed.
   */
  volumes?: string[];
  /** Those of `volumes` with reclaim Retain: their directories stay when the volume is deleted. */
  retainedVolumes?: string[];
  /** What NetworkPolicy enforcement reads, when the request asked and it changed since `networkPolicyVersion`. */
  networkPolicies?: NetworkPolicyData;
}

/**
 * The cluster's NetworkPolicies with the namespaces' labels and the running pods' addresses, labels and
 * named ports (peers may select any of them); no pods at all while the cluster has no policy.
 */
export interface NetworkPolicyData extends PolicyView {
  /** Echoed by the agent as `networkPolicyVersion`: equal versions are equal data. */
  version: string;
}

export interface NodeCIDR {
  nodeName: string;
  podCIDR: string;
}

/**
 * What the node's DNS server answers `cluster.local` from (CoreDNS' kubernetes plugin's view): the
 * namespaces that exist and every Service of the cluster, in all namespaces (a pod may ask for any).
 */
export interface ClusterDNSData {
  /** Echoed by the agent as `dnsVersion`: equal versions are equal data. */
  version: string;
  namespaces: string[];
  services: DNSService[];
}

export interface DNSService {
  namespace: string;
  name: string;
  /** spec.type: ClusterIP, NodePort, LoadBalancer or ExternalName. */
  type: string;
  /** spec.clusterIPs (or clusterIP); empty for headless and ExternalName Services. */
  clusterIPs: string[];
  externalName?: string;
  ports: SyncServicePort[];
  /** Headless Services only: the ready addresses of their Endpoints (A, SRV and per-pod records). */
  endpoints?: DNSEndpoint[];
}

export interface DNSEndpoint {
  ip: string;
  /** The address's hostname (a pod's spec.hostname when its spec.subdomain names the Service). */
  hostname?: string;
  /** targetRef's name when it is a Pod. */
  podName?: string;
  ports: SyncServicePort[];
}

/** A Service with a cluster IP (headless and ExternalName services are left out) and its ready endpoints. */
export interface SyncService {
  namespace: string;
  name: string;
  ports: SyncServicePort[];
  endpoints: SyncEndpoint[];
  /** spec.clusterIP: the address the agent serves the Service on where it can route cluster IPs. */
  clusterIP?: string;
  /** spec.type (ClusterIP, NodePort, LoadBalancer). */
  type?: string;
  /** spec.sessionAffinity ClientIP: a client keeps its endpoint for `affinitySeconds` after its last connection. */
  sessionAffinity?: string;
  affinitySeconds?: number;
}

export interface SyncServicePort {
  /** "" for the single unnamed port. */
  name: string;
  port: number;
  protocol: string;
  /** NodePort and LoadBalancer Services: the port served on the node's host addresses. */
  nodePort?: number;
}

/** One ready address of the Service's Endpoints: where its pod runs and the target port per service port name. */
export interface SyncEndpoint {
  ip: string;
  nodeName?: string;
  ports: Record<string, number>;
}
