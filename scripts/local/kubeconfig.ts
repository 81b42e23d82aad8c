import { stringify } from "yaml";

/** Names used in the kubeconfig `npm start` writes; tests and docs refer to them. */
export const DEMO_KUBECONFIG_NAMES = {
  cluster: "flotilla-demo",
  user: "flotilla-demo-admin",
  context: "flotilla-demo",
} as const;

export interface KubeconfigInput {
  /** The server's root, e.g. https://127.0.0.1:8787 (the token names the cluster). */
  server: string;
  caPem: string;
  token: string;
  clusterName?: string;
  userName?: string;
  contextName?: string;
  namespace?: string;
}

/** A single-cluster kubeconfig with the CA embedded, so it works from any directory and machine user. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const cluster = input.clusterName ?? DEMO_KUBECONFIG_NAMES.cluster;
  const user = input.userName ?? DEMO_KUBECONFIG_NAMES.user;
  const context = input.contextName ?? DEMO_KUBECONFIG_NAMES.context;
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: cluster,
        cluster: {
          server: input.server,
          "certificate-authority-data": Buffer.from(input.caPem, "utf8").toString("base64"),
        },
      },
    ],
    users: [{ name: user, user: { token: input.token } }],
    contexts: [{ name: context, context: { cluster, user, namespace: input.namespace ?? "default" } }],
    "current-context": context,
    preferences: {},
  };
  return stringify(doc, { lineWidth: 0 });
}
