// The text of the cluster page's "get started" panel: the token inside a kubeconfig, the agent's join
// command and the first kubectl commands, all derived from what /v1 returns.

/** The bearer token of the (single) user in a kubeconfig /v1 rendered; undefined if there is none. */
export function tokenFromKubeconfig(kubeconfig: string): string | undefined {
  return /^\s*token:\s*["']?([^\s"']+)/m.exec(kubeconfig)?.[1];
}

/** Whether the kubeconfig carries its own CA (a private one, as `npm start` uses). */
export function hasPrivateCa(kubeconfig: string): boolean {
  return /certificate-authority-data:/.test(kubeconfig);
}

/** Single-quotes a value for POSIX shells when it holds anything but safe characters. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface JoinCommandInput {
  server: string;
  joinToken: string;
  /** The server's CA is private: the agent must be told to trust it (npm start keeps it in .flotilla/ca.pem). */
  privateCa: boolean;
}

export function joinCommand(input: JoinCommandInput): string {
  const parts = [
    "npx flotilla agent",
    "--server",
    shellQuote(input.server),
    "--join-token",
    shellQuote(input.joinToken),
  ];
  if (input.privateCa) parts.push("--ca-file", ".flotilla/ca.pem");
  return parts.join(" ");
}

/** What to try first, with the kubeconfig saved as `file`. */
export function kubectlCommands(file: string): string[] {
  return [
    `export KUBECONFIG=${shellQuote(file)}`,
    "kubectl get nodes -o wide",
    "kubectl create deployment web --image=nginx --replicas=2",
    "kubectl get pods -o wide -w",
    "kubectl scale deployment web --replicas=4",
    "kubectl get events --sort-by=.lastTimestamp",
  ];
}

/** A file name for the downloaded kubeconfig, from the cluster's name. */
export function kubeconfigFileName(clusterName: string): string {
  return `${clusterName.replace(/[^A-Za-z0-9-]/g, "-")}-kubeconfig.yaml`;
}
