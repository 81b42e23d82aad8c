// What sync tells an agent enforcing NetworkPolicies: every policy, every namespace's labels and every
// running pod's address, labels and named ports (a policy's peers may select any pod of any namespace).
// Kept as a version, the revision of the last change the evaluation can see, and built once per version:
// a sync carries the data only when the agent's echo differs. While the cluster has no policy, pods are left
// out and their churn never moves the version, so clusters without policies pay nothing per pod change.
import type { NetworkPolicyData } from "../../../kube/agent-protocol.ts";
import type { NamedPort, PodEntry } from "../../../kube/network-policy-plan.ts";
import type { NetworkPolicySpec } from "../../../kube/network-policy.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import { networkPolicies } from "../registry/networkpolicies.ts";
import type { Change } from "../store/object-store.ts";

export const NETWORK_POLICIES = resourceId(networkPolicies);

export interface PolicySource {
  readonly revision: number;
  list(resource: string, namespace?: string): readonly { object: KubeObject }[];
  count(resource?: string): number;
}

interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
}

/** The pod as evaluation sees it, or undefined when no policy can concern it (no IP, host network, finished). */
export function policyPod(pod: KubeObject | undefined): PodEntry | undefined {
  const ip = pod?.status?.podIP;
  if (!pod || typeof ip !== "string" || !ip || pod.spec?.hostNetwork === true) return undefined;
  if (["Succeeded", "Failed"].includes(pod.status?.phase)) return undefined;
  const namedPorts: NamedPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])])
    for (const p of (c?.ports ?? []) as ContainerPort[])
      if (p?.name && typeof p.containerPort === "number")
        namedPorts.push({ name: p.name, port: p.containerPort, protocol: p.protocol ?? "TCP" });
  return {
    namespace: pod.metadata.namespace ?? "default",
    name: pod.metadata.name ?? "",
    ip,
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
    ...(namedPorts.length > 0 ? { namedPorts } : {}),
  };
}

export class NetworkPolicyIndex {
  #version: number;
  #built?: NetworkPolicyData;

  constructor(
    private readonly store: PolicySource,
    /** Called after a change the evaluation sees (the version moved). */
    private readonly changed: () => void = () => {},
  ) {
    this.#version = store.revision;
  }

  get version(): string {
    return String(this.#version);
  }

  /** The data, or undefined when the agent already holds this version. */
  forAgent(heldVersion: string | undefined): NetworkPolicyData | undefined {
    if (heldVersion === this.version) return undefined;
    this.#built ??= this.#build();
    return this.#built;
  }

  onChange(change: Change): void {
    const { resource, object, revision } = change.entry;
    const before = change.previous?.object;
    const after = change.type === "DELETED" ? undefined : object;
    let seen = false;
    if (resource === NETWORK_POLICIES) seen = true;
    else if (resource === "namespaces")
      seen = !before || !after || JSON.stringify(before.metadata.labels) !== JSON.stringify(after.metadata.labels);
    else if (resource === "pods" && this.store.count(NETWORK_POLICIES) > 0)
      seen = JSON.stringify(policyPod(before)) !== JSON.stringify(policyPod(after));
    if (!seen) return;
    this.#version = revision;
    this.#built = undefined;
    this.changed();
  }

  #build(): NetworkPolicyData {
    const policies = this.store.list(NETWORK_POLICIES).map(({ object }) => ({
      namespace: object.metadata.namespace ?? "default",
      name: object.metadata.name ?? "",
      spec: (object.spec ?? {}) as NetworkPolicySpec,
    }));
    if (policies.length === 0) return { version: this.version, policies, namespaces: [], pods: [] };
    const namespaces = this.store.list("namespaces").map(({ object }) => ({
      name: object.metadata.name ?? "",
      ...(object.metadata.labels ? { labels: object.metadata.labels } : {}),
    }));
    const pods = this.store.list("pods").flatMap(({ object }) => policyPod(object) ?? []);
    return { version: this.version, policies, namespaces, pods };
  }
}
