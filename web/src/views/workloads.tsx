// Deployments (ready/desired, rollout state, scale, delete) and services (type, addresses, ports).
import { useEffect, useState } from "preact/hooks";
import { timestampAge } from "../../../kube/duration.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { errorText } from "../errors.ts";
import { deploymentReady, rolloutState } from "../format.ts";
import { type ClusterApi, objectPath } from "../kube-client.ts";
import { Alert, ConfirmDelete, DataTable } from "../ui.tsx";

function ScaleControl({ api, d }: { api: ClusterApi; d: KubeObject }) {
  const [replicas, setReplicas] = useState(String(d.spec?.replicas ?? 1));
  const [error, setError] = useState<string>();
  const name = d.metadata.name ?? "";
  // Follow scaling done elsewhere (kubectl, an autoscaler) as the watch reports it.
  useEffect(() => setReplicas(String(d.spec?.replicas ?? 1)), [d.spec?.replicas]);
  return (
    <form
      class="scale"
      aria-label={`Scale deployment ${name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        try {
          await api.scale(objectPath("/apis/apps/v1", "deployments", name, d.metadata.namespace), Number(replicas));
        } catch (err) {
          setError(errorText(err));
        }
      }}
    >
      <label>
        <span class="visually-hidden">Replicas of {name}</span>
        <input
          type="number"
          min={0}
          required
          value={replicas}
          onInput={(e) => setReplicas(e.currentTarget.value)}
          aria-label={`Replicas of ${name}`}
        />
      </label>
      <button type="submit" class="secondary">
        Scale
      </button>
      <Alert message={error} />
    </form>
  );
}

export function DeploymentsTable({
  api,
  deployments,
  now,
}: {
  api: ClusterApi;
  deployments: KubeObject[];
  now: number;
}) {
  return (
    <DataTable
      caption="Deployments"
      rows={deployments}
      rowKey={(d) => d.metadata.uid ?? `${d.metadata.namespace}/${d.metadata.name}`}
      empty="No deployments: apply one with the editor."
      columns={[
        { title: "Namespace", cell: (d) => d.metadata.namespace },
        { title: "Name", cell: (d) => d.metadata.name },
        { title: "Ready", cell: (d) => deploymentReady(d) },
        { title: "Rollout", cell: (d) => rolloutState(d) },
        { title: "Age", cell: (d) => timestampAge(d.metadata.creationTimestamp, now) },
        { title: "Scale", cell: (d) => <ScaleControl api={api} d={d} /> },
        {
          title: "Actions",
          cell: (d) => (
            <ConfirmDelete
              what={`deployment ${d.metadata.name}`}
              onConfirm={async () => {
                await api.delete(
                  objectPath("/apis/apps/v1", "deployments", d.metadata.name ?? "", d.metadata.namespace),
                );
              }}
            />
          ),
        },
      ]}
    />
  );
}

interface ServicePort {
  port: number;
  nodePort?: number;
  protocol?: string;
}

/** The published address of a LoadBalancer service, when it has one. */
function publicUrl(s: KubeObject): string | undefined {
  const ingress = s.status?.loadBalancer?.ingress?.[0] as { hostname?: string; ip?: string } | undefined;
  const host = ingress?.hostname ?? ingress?.ip;
  return host ? (/^https?:\/\//.test(host) ? host : `http://${host}`) : undefined;
}

export function ServicesTable({ api, services }: { api: ClusterApi; services: KubeObject[] }) {
  return (
    <DataTable
      caption="Services"
      rows={services}
      rowKey={(s) => s.metadata.uid ?? `${s.metadata.namespace}/${s.metadata.name}`}
      empty="No services."
      columns={[
        { title: "Namespace", cell: (s) => s.metadata.namespace },
        { title: "Name", cell: (s) => s.metadata.name },
        { title: "Type", cell: (s) => s.spec?.type ?? "ClusterIP" },
        { title: "Cluster IP", cell: (s) => s.spec?.clusterIP ?? "<none>" },
        {
          title: "Ports",
          cell: (s) =>
            ((s.spec?.ports as ServicePort[] | undefined) ?? [])
              .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol ?? "TCP"}`)
              .join(", ") || "<none>",
        },
        {
          title: "Public URL",
          cell: (s) => {
            const url = publicUrl(s);
            return url ? <a href={url}>{url}</a> : "—";
          },
        },
        {
          title: "Actions",
          cell: (s) => (
            <ConfirmDelete
              what={`service ${s.metadata.name}`}
              onConfirm={async () => {
                await api.delete(objectPath("/api/v1", "services", s.metadata.name ?? "", s.metadata.namespace));
              }}
            />
          ),
        },
      ]}
    />
  );
}
