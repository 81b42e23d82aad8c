import type { ClusterObject } from "../durable-objects/cluster/object.ts";

export interface Env {
  CLUSTER: DurableObjectNamespace<ClusterObject>;
  ASSETS: Fetcher;
  /** "true" only under `npm start`: enables the demo-cluster bootstrap route. */
  FLOTILLA_LOCAL_BOOTSTRAP: string;
}
