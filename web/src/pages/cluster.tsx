// One cluster: getting started, then live views fed by watches on its Kubernetes API.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { KubeObject } from "../../../kube/types.ts";
import { errorText } from "../errors.ts";
import { tokenFromKubeconfig } from "../getting-started.ts";
import { ClusterApi } from "../kube-client.ts";
import { type ClusterCredentials, loadClusterCredentials, saveClusterCredentials } from "../session.ts";
import { Alert } from "../ui.tsx";
import { useNow, useWatch } from "../use-watch.ts";
import { type ClusterDetail, v1 } from "../v1.ts";
import { AccessCard } from "../views/access.tsx";
import { YamlEditor } from "../views/editor.tsx";
import { EventsTable } from "../views/events.tsx";
import { PodLogs } from "../views/logs.tsx";
import { NodesTable } from "../views/nodes.tsx";
import { ClusterPicture } from "../views/picture.tsx";
import { PodsTable } from "../views/pods.tsx";
import { GettingStarted } from "../views/start.tsx";
import { DeploymentsTable, ServicesTable } from "../views/workloads.tsx";
import { expiryText } from "../cluster-state.ts";

async function credentialsFor(accountToken: string, clusterId: string): Promise<ClusterCredentials> {
  const cached = loadClusterCredentials(clusterId);
  if (cached) return cached;
  const { kubeconfig } = await v1.kubeconfig(accountToken, clusterId);
  const token = tokenFromKubeconfig(kubeconfig);
  if (!token) throw new Error("the kubeconfig from the server carries no token");
  const creds = { token, kubeconfig };
  saveClusterCredentials(clusterId, creds);
  return creds;
}

export function ClusterPage(props: { accountToken: string; clusterId: string; onError: (err: unknown) => void }) {
  const [cluster, setCluster] = useState<ClusterDetail>();
  const [creds, setCreds] = useState<ClusterCredentials>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    (async () => {
      try {
        setCluster(await v1.cluster(props.accountToken, props.clusterId));
        setCreds(await credentialsFor(props.accountToken, props.clusterId));
      } catch (err) {
        props.onError(err);
        setError(errorText(err));
      }
    })();
  }, [props.accountToken, props.clusterId]);

  // The cluster token (kept for this tab) may have expired or been revoked: mint a new one, at most once a minute.
  const renewedAt = useRef(0);
  const renew = async () => {
    if (Date.now() - renewedAt.current < 60_000) return;
    renewedAt.current = Date.now();
    saveClusterCredentials(props.clusterId, undefined);
    try {
      setCreds(await credentialsFor(props.accountToken, props.clusterId));
    } catch (err) {
      props.onError(err);
      setError(errorText(err));
    }
  };

  if (error)
    return (
      <main class="page">
        <h1>Cluster</h1>
        <Alert message={error} />
        <p>
          <a href="#/">Back to your clusters</a>
        </p>
      </main>
    );
  if (!cluster || !creds)
    return (
      <main class="page">
        <p aria-live="polite">Loading cluster…</p>
      </main>
    );
  return <ClusterView accountToken={props.accountToken} cluster={cluster} creds={creds} onUnauthorized={renew} />;
}

function byName(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata.namespace ?? ""}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ""}/${b.metadata.name}`;
  return ka.localeCompare(kb);
}

function ClusterView(props: {
  accountToken: string;
  cluster: ClusterDetail;
  creds: ClusterCredentials;
  onUnauthorized: () => void;
}) {
  const { cluster, creds } = props;
  const api = useMemo(() => new ClusterApi(cluster.id, creds.token), [cluster.id, creds.token]);
  const nodes = useWatch(api, "/api/v1/nodes");
  const pods = useWatch(api, "/api/v1/pods");
  const deployments = useWatch(api, "/apis/apps/v1/deployments");
  const services = useWatch(api, "/api/v1/services");
  const events = useWatch(api, "/api/v1/events");
  const now = useNow();
  const [logsOf, setLogsOf] = useState<KubeObject>();

  const nodeList = [...nodes.items.values()].sort(byName);
  const podList = [...pods.items.values()].sort(byName);
  const podsByNode = new Map<string, KubeObject[]>();
  const unscheduled: KubeObject[] = [];
  for (const p of podList) {
    const node = p.spec?.nodeName as string | undefined;
    if (!node) unscheduled.push(p);
    else podsByNode.set(node, [...(podsByNode.get(node) ?? []), p]);
  }
  const watches = [nodes, pods, deployments, services, events];
  const watchError = watches.find((w) => w.error && !w.live)?.error;
  const unauthorized = watches.some((w) => !w.live && w.errorStatus === 401);
  useEffect(() => {
    if (unauthorized) props.onUnauthorized();
  }, [unauthorized]);

  return (
    <main class="page">
      <div class="row">
        <h1>{cluster.name}</h1>
        <span class={`badge ${watchError ? "bad" : "ok"}`} aria-live="polite">
          {watchError ? "Reconnecting" : nodes.live ? "Live" : "Connecting"}
        </span>
      </div>
      <p class="hint">
        Plan {cluster.plan} · expires {expiryText(cluster, now)} · API server <code>{cluster.server}</code>
      </p>
      <Alert message={watchError} />
      <nav class="jump" aria-label="Sections">
        <a href="#picture">Picture</a> <a href="#nodes">Nodes</a> <a href="#workloads">Workloads</a>{" "}
        <a href="#apply">Apply</a> <a href="#events">Events</a> <a href="#access">Access</a>{" "}
        <a href="#start">Get started</a>
      </nav>
      <div class="grid">
        <section id="picture" class="card wide" aria-labelledby="picture-title">
          <h2 id="picture-title">Cluster picture</h2>
          <ClusterPicture nodes={nodeList} podsByNode={podsByNode} unscheduled={unscheduled} />
        </section>
        <div id="start">
          <GettingStarted
            accountToken={props.accountToken}
            clusterId={cluster.id}
            clusterName={cluster.name}
            server={cluster.server}
            kubeconfig={creds.kubeconfig}
          />
        </div>
        <div id="apply">
          <YamlEditor api={api} />
        </div>
        <section id="nodes" class="card wide" aria-label="Nodes">
          <NodesTable nodes={nodeList} podsByNode={podsByNode} now={now} />
        </section>
        <section id="workloads" class="card wide" aria-label="Workloads">
          <DeploymentsTable api={api} deployments={[...deployments.items.values()].sort(byName)} now={now} />
          <PodsTable api={api} pods={podList} now={now} onLogs={setLogsOf} />
          <ServicesTable api={api} services={[...services.items.values()].sort(byName)} />
        </section>
        {logsOf && (
          <div class="wide">
            <PodLogs api={api} pod={logsOf} onClose={() => setLogsOf(undefined)} />
          </div>
        )}
        <section id="events" class="card wide" aria-label="Events">
          <EventsTable events={[...events.items.values()]} now={now} />
        </section>
        <div id="access" class="wide">
          <AccessCard accountToken={props.accountToken} clusterId={cluster.id} api={api} />
        </div>
      </div>
    </main>
  );
}
