// core/v1 Node: cluster-scoped, DNS-1123 subdomain names, status subresource, the printer's
// STATUS/ROLES logic and the taint and immutable-spec rules (ValidateNode / ValidateNodeUpdate).
import { type FieldError, duplicate, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isQualifiedName, isValidLabelValue } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column, wide } from "./columns.ts";
import { sameJson } from "./meta.ts";
import { INTEGER_RESOURCES, QUANTITY_MSG, quantityNanos } from "./pod-resources.ts";
import type { ResourceKind } from "./types.ts";

interface Condition {
  type?: string;
  status?: string;
}
interface Address {
  type?: string;
  address?: string;
}
interface Taint {
  key?: string;
  value?: string;
  effect?: string;
}

const ROLE_PREFIX = "node-role.kubernetes.io/";
const ROLE_LABEL = "kubernetes.io/role";

/** "Ready", "NotReady" or "Unknown", plus ",SchedulingDisabled" when cordoned. */
export function nodeStatus(o: KubeObject): string {
  const ready = ((o.status?.conditions as Condition[] | undefined) ?? []).filter((c) => c.type === "Ready").at(-1);
  const status = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (o.spec?.unschedulable === true) status.push("SchedulingDisabled");
  return status.join(",");
}

/** findNodeRoles: node-role.kubernetes.io/<role> keys and a kubernetes.io/role value, sorted. */
export function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v !== "") roles.add(v);
  }
  return roles.size ? [...roles].sort().join(",") : "<none>";
}

const info = (o: KubeObject, key: string): string => (o.status?.nodeInfo?.[key] as string | undefined) ?? "";
const infoOrUnknown = (key: string) => (o: KubeObject) => info(o, key) || "<unknown>";
const address = (type: string) => (o: KubeObject) =>
  ((o.status?.addresses as Address[] | undefined) ?? []).find((a) => a.type === type)?.address ?? "<none>";

const ADDRESSES_DOC =
  "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses";

const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

// Upstream validates spec.taints under the path metadata.taints; kept for identical messages.
function taintErrors(taints: Taint[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const path = `metadata.taints[${i}]`;
    for (const msg of isQualifiedName(t.key ?? "")) errs.push(invalid(`${path}.key`, t.key ?? "", msg));
    const valueProblems = isValidLabelValue(t.value ?? "");
    if (valueProblems.length) errs.push(invalid(`${path}.value`, t.value ?? "", valueProblems.join(";")));
    if (!t.effect) errs.push(required(`${path}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${path}.effect`, t.effect, TAINT_EFFECTS));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) errs.push({ ...duplicate(path, t), detail: "taints must be unique by key and effect pair" });
    seen.add(key);
  });
  return errs;
}

/** helper.IsExtendedResourceName: a domain-prefixed name outside kubernetes.io, not a quota "requests." name. */
const isExtendedResource = (name: string) =>
  name.includes("/") &&
  !name.includes("kubernetes.io/") &&
  !name.startsWith("requests.") &&
  isQualifiedName(`requests.${name}`).length === 0;

/** validateNodeResources: capacity and allocatable are quantities, never negative, whole where upstream counts. */
function nodeResourceErrors(status: Record<string, unknown> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ["capacity", "allocatable"] as const)
    for (const [name, value] of Object.entries((status?.[list] as Record<string, string> | undefined) ?? {})) {
      const field = `status.${list}.${name}`;
      const nanos = quantityNanos(value);
      if (nanos === undefined) errs.push(invalid(field, value, QUANTITY_MSG));
      else if (nanos < 0n) errs.push(invalid(field, value, "must be greater than or equal to 0"));
      else if ((INTEGER_RESOURCES.has(name) || isExtendedResource(name)) && nanos % 1_000_000_000n !== 0n)
        errs.push(invalid(field, value, "must be an integer"));
    }
  return errs;
}

function duplicateAddressErrors(status: Record<string, unknown> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  ((status?.addresses as Address[] | undefined) ?? []).forEach((a, i) => {
    const key = JSON.stringify([a.type, a.address]);
    if (seen.has(key)) errs.push(duplicate(`status.addresses[${i}]`, a));
    seen.add(key);
  });
  return errs;
}

/** What ValidateNode and ValidateNodeUpdate check of a status written by a node: resources, no address twice. */
export const nodeStatusErrors = (status: Record<string, unknown> | undefined): FieldError[] => [
  ...nodeResourceErrors(status),
  ...duplicateAddressErrors(status),
];

function validateNodeUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs = duplicateAddressErrors(o.status);
  const oldCIDRs: string[] = old.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0 && !sameJson(oldCIDRs, o.spec?.podCIDRs ?? []))
    errs.push(forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'));
  const oldProvider: string = old.spec?.providerID ?? "";
  if (oldProvider && oldProvider !== (o.spec?.providerID ?? ""))
    errs.push(forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'));
  return errs;
}

export const nodes: ResourceKind = {
  group: "",
  version: "v1",
  kind: "Node",
  plural: "nodes",
  singular: "node",
  namespaced: false,
  shortNames: ["no"],
  nameRule: "subdomain",
  subresources: { status: true },
  columns: [
    column("Status", "string", "The status of the node", nodeStatus),
    column("Roles", "string", "The roles of the node", nodeRoles),
    ageColumn,
    column("Version", "string", "Kubelet Version reported by the node.", (o) => info(o, "kubeletVersion")),
    wide("Internal-IP", "string", ADDRESSES_DOC, address("InternalIP")),
    wide("External-IP", "string", ADDRESSES_DOC, address("ExternalIP")),
    wide(
      "OS-Image",
      "string",
      "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
      infoOrUnknown("osImage"),
    ),
    wide(
      "Kernel-Version",
      "string",
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      infoOrUnknown("kernelVersion"),
    ),
    wide(
      "Container-Runtime",
      "string",
      "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
      infoOrUnknown("containerRuntimeVersion"),
    ),
  ],
  fields: { "spec.unschedulable": (o) => String(o.spec?.unschedulable === true) },
  defaults(o) {
    // SetDefaults_NodeStatus: allocatable mirrors capacity until the kubelet reports it.
    if (o.status?.capacity && !o.status.allocatable) o.status.allocatable = { ...o.status.capacity };
  },
  validate: (o) => [...taintErrors(o.spec?.taints), ...nodeResourceErrors(o.status)],
  validateUpdate: validateNodeUpdate,
};
