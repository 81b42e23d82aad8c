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
  /** Base64 PEM of a CA for kubeconfigs (local runs with their own CA); unset when a public CA signs the host. */
  KUBECONFIG_CA_DATA?: string;
}
