// A complete kubeconfig for one cluster and one token, as `kubectl --kubeconfig` reads it.
import { stringify } from "yaml";

export interface KubeconfigInput {
  /** The server's root (the token names the cluster), or a cluster's own <base>/clusters/<id>. */
  server: string;
  /** The cluster's name; contexts are called flotilla-<name>. */
  name: string;
  token: string;
  /** "admin" or "view": part of the user's name, so merged configs keep both. */
  role: string;
  /** Base64 PEM of the CA that signs the server's certificate, if not a public one. */
  caData?: string;
}

export function renderKubeconfig(input: KubeconfigInput): string {
  const cluster = `flotilla-${input.name}`;
  const user = `${cluster}-${input.role}`;
  const clusterEntry: Record<string, string> = { server: input.server };
  if (input.caData) clusterEntry["certificate-authority-data"] = input.caData;
  return stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: cluster, cluster: clusterEntry }],
      users: [{ name: user, user: { token: input.token } }],
      contexts: [{ name: cluster, context: { cluster, user, namespace: "default" } }],
      "current-context": cluster,
      preferences: {},
    },
    { lineWidth: 0 },
  );
}
