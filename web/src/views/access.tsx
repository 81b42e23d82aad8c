// Access: who the owner shared this cluster with (named users in groups), what RBAC grants each, a form
// to add one (its kubeconfig shown once, to hand over) and revocation.
import { useEffect, useState } from "preact/hooks";
import type { KubeObject } from "../../../kube/types.ts";
import { grantsOf, parseGroups, type SharedUser } from "../access.ts";
import { errorText } from "../errors.ts";
import type { ClusterApi } from "../kube-client.ts";
import { Alert, ConfirmDelete, DataTable, Snippet } from "../ui.tsx";
import { v1 } from "../v1.ts";

const RBAC = "/apis/rbac.authorization.k8s.io/v1";

/**
 * Bindings are listed when the card opens, after each change here and on Refresh, not watched: the page's
 * other watches already hold most of the browser's six HTTP/1.1 connections to the server.
 */
export function AccessCard(props: { accountToken: string; clusterId: string; api: ClusterApi }) {
  const [users, setUsers] = useState<SharedUser[]>();
  const [bindings, setBindings] = useState<KubeObject[]>([]);
  const [username, setUsername] = useState("");
  const [groups, setGroups] = useState("");
  const [issued, setIssued] = useState<{ username: string; kubeconfig: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const reload = async () => {
    const [listed, namespaced, clusterWide] = await Promise.all([
      v1.users(props.accountToken, props.clusterId),
      props.api.list(`${RBAC}/rolebindings`),
      props.api.list(`${RBAC}/clusterrolebindings`),
    ]);
    setUsers(listed.items);
    setBindings([...namespaced.items, ...clusterWide.items]);
  };
  const refresh = () => {
    setError(undefined);
    reload().catch((err) => setError(errorText(err)));
  };
  useEffect(refresh, [props.accountToken, props.clusterId, props.api]);

  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const made = await v1.createUser(props.accountToken, props.clusterId, username.trim(), parseGroups(groups));
      setIssued({ username: made.username, kubeconfig: made.kubeconfig });
      setUsername("");
      setGroups("");
      await reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card wide" aria-labelledby="access-title">
      <h2 id="access-title">Access</h2>
      <p class="hint">
        Give someone a kubeconfig of their own, then grant it what they need with RBAC, e.g.{" "}
        <code>kubectl create rolebinding alice-edit --clusterrole=edit --user=alice -n team</code>.
      </p>
      <form class="inline" onSubmit={add} aria-label="Add a user">
        <label>
          Username
          <input
            name="username"
            required
            maxLength={128}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            placeholder="alice"
          />
        </label>
        <label>
          Groups
          <input
            name="groups"
            value={groups}
            onInput={(e) => setGroups(e.currentTarget.value)}
            placeholder="students, team-a"
          />
        </label>
        <button type="submit" disabled={busy}>
          Add user
        </button>
        <button type="button" class="secondary" onClick={refresh}>
          Refresh
        </button>
      </form>
      <Alert message={error} />
      {issued && (
        <>
          <p class="hint">The kubeconfig for {issued.username}, shown only this once:</p>
          <Snippet label={`kubeconfig for ${issued.username}`} text={issued.kubeconfig} />
        </>
      )}
      <DataTable
        caption="Users"
        rows={users ?? []}
        rowKey={(u) => u.id}
        empty={users ? "Only you: add a user above to share this cluster." : "Loading…"}
        columns={[
          { title: "User", cell: (u) => u.username },
          { title: "Groups", cell: (u) => u.groups.join(", ") || "—" },
          {
            title: "Granted",
            cell: (u) => {
              const grants = grantsOf(u, bindings);
              return grants.length ? grants.join("; ") : "nothing yet";
            },
          },
          { title: "Expires", cell: (u) => (u.expiresAt === null ? "never" : new Date(u.expiresAt).toLocaleString()) },
          {
            title: "Revoke",
            cell: (u) => (
              <ConfirmDelete
                what={`user ${u.username}`}
                onConfirm={async () => {
                  await v1.revokeUser(props.accountToken, props.clusterId, u.id);
                  await reload();
                }}
              />
            ),
          },
        ]}
      />
    </section>
  );
}
