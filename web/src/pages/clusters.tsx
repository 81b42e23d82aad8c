// The account's clusters: state and expiry, create, delete.
import { useEffect, useState } from "preact/hooks";
import { humanDuration } from "../../../kube/duration.ts";
import { clusterState, expiryText } from "../cluster-state.ts";
import { errorText } from "../errors.ts";
import { saveClusterCredentials } from "../session.ts";
import { Alert, ConfirmDelete, DataTable } from "../ui.tsx";
import { type ClusterSummary, v1 } from "../v1.ts";

export function ClustersPage({ token, onError }: { token: string; onError: (err: unknown) => void }) {
  const [clusters, setClusters] = useState<ClusterSummary[]>();
  const [error, setError] = useState<string>();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      setClusters((await v1.clusters(token)).items);
      setError(undefined);
    } catch (err) {
      onError(err);
      setError(errorText(err));
    }
  };
  useEffect(() => {
    load();
  }, [token]);

  const create = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await v1.createCluster(token, name.trim());
      saveClusterCredentials(created.id, { token: created.adminToken, kubeconfig: created.kubeconfig });
      location.hash = `#/clusters/${created.id}`;
    } catch (err) {
      onError(err);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const now = Date.now();
  return (
    <main class="page">
      <h1>Your clusters</h1>
      <form class="card inline" onSubmit={create} aria-label="Create a cluster">
        <label>
          Cluster name
          <input
            name="cluster-name"
            required
            maxLength={40}
            pattern="[a-z0-9]([-a-z0-9]*[a-z0-9])?"
            title="lower-case letters, digits and '-', starting and ending with a letter or digit"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            placeholder="my-cluster"
          />
        </label>
        <button type="submit" disabled={busy}>
          Create cluster
        </button>
      </form>
      <Alert message={error} />
      {clusters === undefined && !error ? (
        <p aria-live="polite">Loading…</p>
      ) : (
        <DataTable
          caption="Clusters"
          rows={clusters ?? []}
          rowKey={(c) => c.id}
          empty="No clusters yet: create one above."
          columns={[
            { title: "Name", cell: (c) => <a href={`#/clusters/${c.id}`}>{c.name}</a> },
            { title: "State", cell: (c) => clusterState(c, now) },
            { title: "Expires", cell: (c) => expiryText(c, now) },
            { title: "Plan", cell: (c) => c.plan },
            { title: "Created", cell: (c) => `${humanDuration(now - c.createdAt)} ago` },
            {
              title: "Actions",
              cell: (c) => (
                <ConfirmDelete
                  what={`cluster ${c.name}`}
                  onConfirm={async () => {
                    await v1.deleteCluster(token, c.id);
                    saveClusterCredentials(c.id, undefined);
                    await load();
                  }}
                />
              ),
            },
          ]}
        />
      )}
    </main>
  );
}
