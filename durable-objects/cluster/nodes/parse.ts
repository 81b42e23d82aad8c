// The agent protocol's request bodies, decoded typed and whole before anything is written: one walk
// against their schema (kube/schema's NodeStatus and PodStatus pieces, the typed walk the API decodes
// bodies with: wrong JSON types refused in Go's words, nulls normalised, unknown fields dropped), the
// fields the schemas require, then what upstream's Node validation checks (quantities, labels, names).
// A body refused here is a 400 or 422 Status, and the join or sync it came with writes nothing.
import type { JoinRequest, SyncRequest } from "../../../kube/agent-protocol.ts";
import { type FieldError, invalid as invalidField } from "../../../kube/field-errors.ts";
import { isDNS1123Subdomain } from "../../../kube/names.ts";
import {
  atomicList,
  boolean,
  core,
  type Definitions,
  integer,
  map,
  number,
  object,
  quantity,
  ref,
  resolve,
  type Schema,
  string,
  stringMap,
  time,
} from "../../../kube/schema/dsl.ts";
import { definitions } from "../../../kube/schema/registry.ts";
import { typedWalk } from "../../../kube/schema/typed-walk.ts";
import { badRequest, invalid, type StatusError } from "../../../kube/status.ts";
import { validateLabels } from "../registry/meta.ts";
import { nodeStatusErrors } from "../registry/nodes.ts";
import { parseCIDR } from "../../../kube/ipv4.ts";

/** More than any host has networks: a join listing more is refused rather than stored on the Node. */
const MAX_HOST_SUBNETS = 256;

const agent = (type: string) => `flotilla.agent.v1.${type}`;

const resources = () => map(quantity());
const addresses = () => atomicList(ref(core("NodeAddress")));

/** The protocol's own types (kube/agent-protocol.ts), written with the schema DSL over upstream's definitions. */
const protocolDefinitions: Definitions = {
  [agent("JoinRequest")]: object(
    {
      nodeName: string(),
      capacity: resources(),
      allocatable: resources(),
      nodeInfo: ref(core("NodeSystemInfo")),
      addresses: addresses(),
      labels: stringMap(),
      hostSubnets: atomicList(string()),
      volumeDir: string(),
    },
    "A node joining.",
    { required: ["nodeName", "capacity", "allocatable", "nodeInfo", "addresses"] },
  ),
  [agent("NodeStatus")]: object(
    {
      capacity: resources(),
      allocatable: resources(),
      conditions: atomicList(ref(core("NodeCondition"))),
      addresses: addresses(),
      nodeInfo: ref(core("NodeSystemInfo")),
    },
    "The node's status as its agent sees it.",
    { required: ["capacity", "allocatable", "conditions", "addresses", "nodeInfo"] },
  ),
  [agent("PodStatusUpdate")]: object(
    { uid: string(), namespace: string(), name: string(), status: ref(core("PodStatus")) },
    "A pod's status.",
    { required: ["uid", "namespace", "name", "status"] },
  ),
  [agent("Event")]: object(
    {
      podUID: string(),
      namespace: string(),
      podName: string(),
      fieldPath: string(),
      type: string(),
      reason: string(),
      message: string(),
      count: integer(),
      firstTimestamp: time(),
      lastTimestamp: time(),
    },
    "An event about one pod.",
    {
      required: [
        "podUID",
        "namespace",
        "podName",
        "type",
        "reason",
        "message",
        "count",
        "firstTimestamp",
        "lastTimestamp",
      ],
    },
  ),
  [agent("KnownPod")]: object({ uid: string(), resourceVersion: string() }, "A pod the agent holds.", {
    required: ["uid", "resourceVersion"],
  }),
  [agent("ContainerUsage")]: object(
    { name: string(), cpuNanoCores: number(), memoryBytes: number() },
    "One container's usage.",
    { required: ["name", "cpuNanoCores", "memoryBytes"] },
  ),
  [agent("PodUsage")]: object(
    { uid: string(), namespace: string(), name: string(), containers: atomicList(ref(agent("ContainerUsage"))) },
    "One pod's usage.",
    { required: ["uid", "namespace", "name", "containers"] },
  ),
  [agent("MetricsReport")]: object(
    {
      timestamp: time(),
      windowSeconds: number(),
      node: object({ cpuNanoCores: number(), memoryBytes: number() }, "The node's usage.", {
        required: ["cpuNanoCores", "memoryBytes"],
      }),
      pods: atomicList(ref(agent("PodUsage"))),
    },
    "Resource usage over a window.",
    { required: ["timestamp", "windowSeconds", "node", "pods"] },
  ),
  [agent("SyncRequest")]: object(
    {
      nodeName: string(),
      nodeStatus: ref(agent("NodeStatus")),
      podStatuses: atomicList(ref(agent("PodStatusUpdate"))),
      terminated: atomicList(string()),
      events: atomicList(ref(agent("Event"))),
      known: atomicList(ref(agent("KnownPod"))),
      waitSeconds: number(),
      metrics: ref(agent("MetricsReport")),
      wantServices: boolean(),
      wantDNS: boolean(),
      dnsVersion: string(),
      wantVolumes: boolean(),
      volumeDir: string(),
      wantNetworkPolicies: boolean(),
      networkPolicyVersion: string(),
    },
    "A node's sync.",
    { required: ["nodeName"] },
  ),
};

const defs: Definitions = { ...definitions, ...protocolDefinitions };

/** The path of the first field a schema requires that `value` lacks, or undefined. */
function missingRequired(schema: Schema, value: unknown, path: string): string | undefined {
  const s = resolve(defs, schema);
  if (!s || value === null || value === undefined) return undefined;
  if (s.kind === "object" && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (record[key] === undefined) return path ? `${path}.${key}` : key;
    for (const [key, field] of Object.entries(s.properties)) {
      const missing = missingRequired(field, record[key], path ? `${path}.${key}` : key);
      if (missing) return missing;
    }
  } else if (s.kind === "array" && Array.isArray(value))
    for (let i = 0; i < value.length; i++) {
      const missing = missingRequired(s.items, value[i], `${path}[${i}]`);
      if (missing) return missing;
    }
  else if (s.kind === "map" && typeof value === "object" && !Array.isArray(value))
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const missing = missingRequired(s.value, item, path ? `${path}.${key}` : key);
      if (missing) return missing;
    }
  return undefined;
}

/** The body decoded as `type` (in place: nulls normalised, unknown fields dropped), or a 400. */
function decode<T>(type: string, what: string, body: unknown): T {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest(`${what} must be a JSON object`);
  const schema = ref(agent(type));
  const { typeError } = typedWalk(defs, schema, body, { prune: true });
  if (typeError) throw badRequest(`${what}: ${typeError}`);
  const missing = missingRequired(schema, body, "");
  if (missing) throw badRequest(`${what}: ${missing} is required`);
  return body as T;
}

const nodeInvalid = (name: string, errors: FieldError[]): StatusError => invalid("", "Node", name, errors);

function checkNodeName(nodeName: string): void {
  const errors = isDNS1123Subdomain(nodeName);
  if (errors.length > 0) throw badRequest(`invalid node name "${nodeName}": ${errors.join("; ")}`);
}

/** The labels a joining node's Node gets: the agent's, and the well-known ones the object sets itself. */
export function joinLabels(req: JoinRequest): Record<string, string> {
  return {
    ...req.labels,
    "kubernetes.io/hostname": req.labels["kubernetes.io/hostname"] ?? req.nodeName,
    "kubernetes.io/os": req.nodeInfo.operatingSystem ?? "",
    "kubernetes.io/arch": req.nodeInfo.architecture ?? "",
  };
}

export function parseJoinRequest(body: unknown): JoinRequest {
  const req = decode<JoinRequest>("JoinRequest", "join request", body);
  req.labels ??= {};
  checkNodeName(req.nodeName);
  const { capacity, allocatable, addresses: addrs } = req;
  const errors = [
    ...validateLabels(joinLabels(req), "metadata.labels"),
    ...nodeStatusErrors({ capacity, allocatable, addresses: addrs }),
  ];
  const subnets = req.hostSubnets ?? [];
  if (subnets.length > MAX_HOST_SUBNETS)
    errors.push({
      type: "FieldValueTooMany",
      field: "hostSubnets",
      detail: `must have at most ${MAX_HOST_SUBNETS} items`,
    });
  subnets.forEach((cidr, i) => {
    if (!parseCIDR(cidr)) errors.push(invalidField(`hostSubnets[${i}]`, cidr, "must be an IPv4 CIDR"));
  });
  if (errors.length > 0) throw nodeInvalid(req.nodeName, errors);
  return req;
}

export function parseSyncRequest(body: unknown): SyncRequest {
  const req = decode<Partial<SyncRequest> & { nodeName: string }>("SyncRequest", "sync request", body);
  checkNodeName(req.nodeName);
  if (req.nodeStatus) {
    const errors = nodeStatusErrors(req.nodeStatus as unknown as Record<string, unknown>);
    if (errors.length > 0) throw nodeInvalid(req.nodeName, errors);
  }
  const waitSeconds = req.waitSeconds ?? 0;
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
    throw badRequest(`sync request: waitSeconds must be a number of seconds, not ${waitSeconds}`);
  return {
    nodeName: req.nodeName,
    nodeStatus: req.nodeStatus,
    podStatuses: req.podStatuses ?? [],
    terminated: req.terminated ?? [],
    events: req.events ?? [],
    known: req.known ?? [],
    waitSeconds,
    metrics: req.metrics,
    wantServices: req.wantServices === true,
    ...(req.wantDNS === true ? { wantDNS: true, dnsVersion: req.dnsVersion } : {}),
    ...(req.wantVolumes === true ? { wantVolumes: true, volumeDir: req.volumeDir } : {}),
    ...(req.wantNetworkPolicies === true
      ? { wantNetworkPolicies: true, networkPolicyVersion: req.networkPolicyVersion }
      : {}),
  };
}
