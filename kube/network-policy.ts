// networking.k8s.io/v1 NetworkPolicy as JSON carries it: the shape shared by the registry's validation, the
// cluster object's sync to agents and the agent's evaluation (kube/network-policy-plan.ts).
import type { LabelSelector } from "./types.ts";

export type PolicyType = "Ingress" | "Egress";

export interface IPBlock {
  cidr: string;
  except?: string[];
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  /** TCP (the default), UDP or SCTP. */
  protocol?: string;
  /** A number or the name of a container port of the pod the traffic goes to. */
  port?: number | string;
  /** With a numeric port: the range port..endPort. */
  endPort?: number;
}

export interface NetworkPolicyIngressRule {
  ports?: NetworkPolicyPort[];
  from?: NetworkPolicyPeer[];
}

export interface NetworkPolicyEgressRule {
  ports?: NetworkPolicyPort[];
  to?: NetworkPolicyPeer[];
}

export interface NetworkPolicySpec {
  podSelector?: LabelSelector;
  ingress?: NetworkPolicyIngressRule[];
  egress?: NetworkPolicyEgressRule[];
  policyTypes?: PolicyType[];
}

export const POLICY_TYPES: readonly PolicyType[] = ["Ingress", "Egress"];
