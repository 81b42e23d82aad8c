// Getting started: the kubeconfig, the agent's join command with a fresh join token, kubectl to try.
import { useState } from "preact/hooks";
import { errorText } from "../errors.ts";
import { hasPrivateCa, joinCommand, kubeconfigFileName, kubectlCommands } from "../getting-started.ts";
import { Alert, CopyButton, Snippet } from "../ui.tsx";
import { v1 } from "../v1.ts";

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function GettingStarted(props: {
  accountToken: string;
  clusterId: string;
  clusterName: string;
  server: string;
  kubeconfig: string;
}) {
  const [joinToken, setJoinToken] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const file = kubeconfigFileName(props.clusterName);

  const newJoinToken = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setJoinToken((await v1.joinToken(props.accountToken, props.clusterId)).token);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="start-title">
      <h2 id="start-title">Get started</h2>
      <h3>1. Your kubeconfig</h3>
      <p>
        <button type="button" onClick={() => download(file, props.kubeconfig)}>
          Download kubeconfig
        </button>{" "}
        <CopyButton text={props.kubeconfig} label="Copy kubeconfig" />
      </p>
      <h3>2. Connect a machine as a node</h3>
      <p>Run this on any machine with Node.js and Docker or Podman; it needs only outbound HTTPS.</p>
      {joinToken ? (
        <Snippet
          label="join command"
          text={joinCommand({ server: props.server, joinToken, privateCa: hasPrivateCa(props.kubeconfig) })}
        />
      ) : (
        <button type="button" onClick={newJoinToken} disabled={busy}>
          Create join command
        </button>
      )}
      {joinToken && (
        <p class="hint">
          The join token is valid for an hour.{" "}
          <button type="button" class="link" onClick={newJoinToken} disabled={busy}>
            New token
          </button>
        </p>
      )}
      <Alert message={error} />
      <h3>3. Try kubectl</h3>
      <Snippet label="kubectl commands" text={kubectlCommands(file).join("\n")} />
    </section>
  );
}
