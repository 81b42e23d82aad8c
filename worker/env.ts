import type { ClusterObject } from "../durable-objects/cluster/object.ts";

export interface Env {
  CLUSTER: DurableObjectNamespace<ClusterObject>;
  ASSETS: Fetcher;
  /** Accounts, account tokens, the cluster index and plans. */
  DB: D1Database;
  /** The plan new accounts get (a row of `plans`). */
  DEFAULT_PLAN: string;
  /** Base URL clients reach this Worker at; defaults to the request's own origin. */
  PUBLIC_URL?: string;
  /**
   * The domain under which clusters' host names live (`<cluster>.<domain>`, `<svc>-<ns>-<cluster>.<domain>`;
   * kube/edge-hosts.ts), routed here by one wildcard route; unset: no host names.
   */
  EDGE_DOMAIN?: string;
  /** A DNS-over-HTTPS JSON resolver for users' own domains (CNAMEs to `<cluster>.<domain>`); unset: none served. */
  EDGE_DNS_RESOLVER?: string;
  /** Base64 PEM of a CA for kubeconfigs (local runs with their own CA); unset when a public CA signs the host. */
  KUBECONFIG_CA_DATA?: string;
}
