// ClusterObject: one tenant cluster. It holds the object store and serves the Kubernetes
// API; its typed surface for the Worker is `fetch` (the API) and `bootstrap` (local dev).
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { Hono } from "hono";
import migrations from "../../migrations/cluster/migrations.js";
import type { ApiContext } from "./api/context.ts";
import { createObject } from "./api/create.ts";
import { SYSTEM_WRITE } from "./api/options.ts";
import { kubernetesApi } from "./api/router.ts";
import { Credentials } from "./auth/credentials.ts";
import { kindIndex } from "./registry/index.ts";
import { Scheduler } from "./scheduler/scheduler.ts";
import { ObjectStore } from "./store/object-store.ts";

/** How many changes the watch log keeps (watches older than that relist); tests set less. */
const DEFAULT_CHANGE_LOG_LIMIT = 50_000;

/** Namespaces every cluster starts with, as upstream's apiserver creates them. */
const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

const KUBERNETES_SERVICE = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } },
  spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }] },
};

export interface BootstrapRequest {
  adminToken: string;
}

export class ClusterObject extends DurableObject {
  #ctx!: ApiContext;
  #credentials!: Credentials;
  #scheduler!: Scheduler;
  // biome-ignore lint/suspicious/noExplicitAny: hono's generic app type varies with its route table
  #api!: Hono<any>;

  constructor(state: DurableObjectState, env: { CHANGE_LOG_LIMIT?: string }) {
    super(state, env as never);
    const logLimit = Number(env.CHANGE_LOG_LIMIT) || DEFAULT_CHANGE_LOG_LIMIT;
    state.blockConcurrencyWhile(async () => {
      const db = drizzle(state.storage, { logger: false });
      await migrate(db, migrations);
      const store = new ObjectStore(db, state.storage, logLimit);
      this.#ctx = { store, kinds: kindIndex, now: () => Date.now() };
      this.#credentials = new Credentials(db);
      this.#api = kubernetesApi(this.#ctx, this.#credentials);
      this.#ensureSystemObjects();
      this.#scheduler = new Scheduler(this.#ctx);
      this.#scheduler.start();
    });
  }

  /** The objects upstream's apiserver creates for itself: system namespaces and the `kubernetes` service. */
  #ensureSystemObjects(): void {
    const options = SYSTEM_WRITE;
    const namespaces = kindIndex.byResource("namespaces")!;
    for (const name of SYSTEM_NAMESPACES) {
      if (this.#ctx.store.get("namespaces", undefined, name)) continue;
      createObject(
        this.#ctx,
        namespaces,
        undefined,
        { apiVersion: "v1", kind: "Namespace", metadata: { name } },
        options,
      );
    }
    if (!this.#ctx.store.get("services", "default", "kubernetes"))
      createObject(
        this.#ctx,
        kindIndex.byResource("services")!,
        "default",
        structuredClone(KUBERNETES_SERVICE),
        options,
      );
  }

  override async fetch(request: Request): Promise<Response> {
    return this.#api.fetch(request);
  }

  /** Local development only: installs (or replaces) the admin token of the demo cluster. */
  async bootstrap(request: BootstrapRequest): Promise<void> {
    await this.#credentials.put("bootstrap-admin", request.adminToken, "admin", Date.now());
  }

  /** Figures for benchmarks and tests: objects held and the revision reached. */
  async stats(): Promise<{ objects: number; revision: number }> {
    return { objects: this.#ctx.store.count(), revision: this.#ctx.store.revision };
  }
}
