// Merging a one-cluster kubeconfig into an existing one (as `kubectl config` would): entries with
// the same names are replaced, others kept; the new context becomes current.
import { parse, stringify } from "yaml";

interface Named {
  name: string;
  [key: string]: unknown;
}

interface Kubeconfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  "current-context"?: string;
  [key: string]: unknown;
}

function mergeList(into: Named[] | undefined, from: Named[] | undefined): Named[] {
  const out = [...(into ?? [])];
  for (const entry of from ?? []) {
    const at = out.findIndex((e) => e.name === entry.name);
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  return out;
}

export function mergeKubeconfig(existing: string | undefined, incoming: string): string {
  const base = (existing?.trim() ? parse(existing) : {}) as Kubeconfig;
  const add = parse(incoming) as Kubeconfig;
  const merged: Kubeconfig = {
    ...base,
    apiVersion: base.apiVersion ?? "v1",
    kind: base.kind ?? "Config",
    clusters: mergeList(base.clusters, add.clusters),
    users: mergeList(base.users, add.users),
    contexts: mergeList(base.contexts, add.contexts),
    "current-context": add["current-context"] ?? base["current-context"],
  };
  return stringify(merged, { lineWidth: 0 });
}
