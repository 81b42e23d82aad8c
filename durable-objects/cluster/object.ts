// ClusterObject: one tenant cluster. It holds the object store and serves the Kubernetes
// API. Its typed surface for the Worker: `fetch` (the API) and the RPC methods below
// (provision, tokens, status, destroy). An object that was never provisioned (or was
// destroyed) stores nothing and answers every request 401. The Worker routes only ids that
// /v1 created (worker/known-clusters.ts): reading the record below is enough to make workerd
// create the object's SQLite database, so a stranger's id must never get this far.
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { Hono } from "hono";
import { pathNotFound, unauthorized } from "../../kube/status.ts";
import migrations from "../../migrations/cluster/migrations.js";
import { type ContextParts, clusterContext } from "./cluster-context.ts";
import type { ApiContext } from "./context.ts";
import { errorResponse } from "../../kube/http/respond.ts";
import { discardBody } from "../../kube/http/read-capped.ts";
import { ensureSystemObjects } from "./system-objects.ts";
import { kubernetesApi } from "./api/router.ts";
import { ObjectAlarm, startControllers } from "./controllers/index.ts";
import { publishRootCA } from "./controllers/root-ca-publisher.ts";
import type { Runner } from "./controllers/runner.ts";
import { ensureBootstrapPolicy } from "./auth/bootstrap.ts";
import { ClusterCA } from "./auth/cluster-ca.ts";
import { Credentials, type IssuedToken, type Role, type TokenInfo, type UserTokenInfo } from "./auth/credentials.ts";
import { serviceAccountAuthenticator } from "./auth/service-account-authenticator.ts";
import { FALLBACK_ISSUER, ServiceAccountIssuer } from "./auth/service-account-issuer.ts";
import { clusterSigningKey } from "./auth/signing-key.ts";
import { ClusterGuard } from "./limits/guard.ts";
import { attachGuard, detachGuard } from "./limits/hooks.ts";
import {
  Activity,
  type ClusterRecord,
  markExpiredInIndex,
  readRecord,
  storedBytes,
  writeRecord,
} from "./limits/lifecycle.ts";
import { type ClusterPlan, type ClusterUsage, isClusterPlan } from "./limits/types.ts";
import { serveCustomResources } from "./crd/served-kinds.ts";
import { Scheduler } from "./scheduler/scheduler.ts";
import { ObjectStore } from "./store/object-store.ts";
import { NodeAgents } from "./nodes/agents.ts";
import { MetricsWindow, storePodBinding } from "./metrics/window.ts";
import { handlePodTokenRequest } from "./nodes/pod-token.ts";
import { handleAgentRequest, isAgentPath, type ServingCertificates } from "./nodes/routes.ts";
import { servingCertificate } from "./nodes/serving-certificate.ts";
import { acceptTunnel, tunnelCredentialHash } from "./tunnel/accept.ts";
import { agentOpens } from "./tunnel/connect.ts";
import { SYNCS_PER_TURN, syncOverTunnel } from "./nodes/tunnel-sync.ts";
import { TurnQueue } from "./nodes/turn-queue.ts";
import { TunnelHub } from "./tunnel/hub.ts";
import { isPublicPath, publicIngress } from "./tunnel/public.ts";
import { edgeIngress, isEdgeRequest } from "./tunnel/edge.ts";
import { AGENT_POD_TOKEN_PATH } from "../../kube/agent-protocol.ts";
import { AGENT_TUNNEL_PATH } from "../../kube/tunnel-protocol.ts";
import { type ClusterSettings, parseSettings, settingsOf } from "./settings.ts";

export type { ClusterPlan, ClusterSettings, ClusterUsage, IssuedToken, Role, TokenInfo };
/** The Worker validates `settings` of POST /v1/clusters with the same rules the object applies. */
export { parseSettings };

/** How many changes the watch log keeps (watches older than that relist); tests set less. */
const DEFAULT_CHANGE_LOG_LIMIT = 50_000;

/** Roles the owner may hand out; node credentials come only from the join protocol, users with a name. */
export type IssuableRole = Exclude<Role, "node" | "user">;

/** Shared-access users (tokens) one cluster may have: a classroom, not a directory. */
export const MAX_CLUSTER_USERS = 100;

/** A shared-access user's token just issued: the only time its secret is seen. */
export interface IssuedUser extends IssuedToken {
  username: string;
  groups: string[];
}

export interface ProvisionRequest {
  clusterId: string;
  plan: ClusterPlan;
  /** Absent: the defaults. */
  settings?: Partial<ClusterSettings>;
  /** The cluster's public API URL: the issuer of its ServiceAccount tokens. */
  issuer?: string;
}

export interface ProvisionResult {
  admin: IssuedToken;
  join: IssuedToken;
  expiresAt: number | null;
}

export interface ClusterStatus {
  id: string;
  plan: ClusterPlan;
  createdAt: number;
  lastActiveAt: number;
  /** When the idle cluster will be deleted (extended by any authenticated use); null: never. */
  expiresAt: number | null;
  usage: ClusterUsage;
  settings: ClusterSettings;
}

interface ClusterEnv {
  CHANGE_LOG_LIMIT?: string;
  /** The domain the edge's host names live under (kube/edge-hosts.ts); unset: no host names. */
  EDGE_DOMAIN?: string;
  /** The cluster index, told when this cluster expires on its own. */
  DB?: D1Database;
}

/** Everything a provisioned cluster holds in memory. */
interface Live {
  record: ClusterRecord;
  ctx: ApiContext;
  credentials: Credentials;
  scheduler: Scheduler;
  controllers: Runner;
  alarm: ObjectAlarm;
  activity: Activity;
  guard: ClusterGuard;
  tunnels: TunnelHub;
  /** The agent protocol over HTTP: join, sync, serving certificates. */
  agentRequests: (request: Request) => Promise<Response>;
  /** `/public/…`: published Services, without a token. */
  publicIngress: (request: Request) => Promise<Response>;
  /** Requests for the cluster's host names: LoadBalancer and published Services, Ingresses. */
  edge: (request: Request) => Promise<Response>;
  // biome-ignore lint/suspicious/noExplicitAny: hono's generic app type varies with its route table
  api: Hono<any>;
}

export class ClusterObject extends DurableObject<ClusterEnv> {
  #live: Live | undefined;
  #logLimit: number;

  constructor(state: DurableObjectState, env: ClusterEnv) {
    super(state, env);
    this.#logLimit = Number(env.CHANGE_LOG_LIMIT) || DEFAULT_CHANGE_LOG_LIMIT;
    state.blockConcurrencyWhile(async () => {
      const record = readRecord(state.storage.sql);
      if (record) await this.#start(record);
    });
  }

  /** Opens the store and starts serving; on a provisioned object's every wake-up. */
  async #start(record: ClusterRecord): Promise<Live> {
    const storage = this.ctx.storage;
    const db = drizzle(storage, { logger: false });
    await migrate(db, migrations);
    const store = new ObjectStore(db, storage, this.#logLimit);
    const now = () => Date.now();
    const started: ContextParts["started"] = {};
    const issuer = new ServiceAccountIssuer(record.issuer ?? FALLBACK_ISSUER, await clusterSigningKey(storage.sql));
    const metrics = new MetricsWindow(
      storePodBinding((ns, name) => store.get("pods", ns, name)),
      now,
    );
    const ctx = clusterContext({
      store,
      now,
      settings: settingsOf(record),
      serviceAccountIssuer: issuer,
      metrics,
      started,
    });
    const credentials = new Credentials(db, record.id);
    // The cluster's CA exists before anything publishes or signs with it (made once, on the first start).
    const ca = new ClusterCA(storage.sql, () => ctx.now());
    serveCustomResources(ctx);
    ensureSystemObjects(ctx);
    ensureBootstrapPolicy(ctx);
    publishRootCA(ctx, await ca.ensure());
    const activity = new Activity(storage.sql, record);
    const guard = new ClusterGuard(record.plan, store, storedBytes(storage.sql), ctx.now());
    attachGuard(ctx, { guard, onActivity: (now) => activity.touch(now) });
    const scheduler = new Scheduler(ctx);
    scheduler.start();
    // One alarm serves the controllers' due work and the idle deadline, whichever is first.
    const alarm = new ObjectAlarm(storage, () => activity.deadline);
    const agents = new NodeAgents(ctx, credentials, db, metrics);
    started.agents = agents;
    const domain = this.env.EDGE_DOMAIN;
    const edgeNames = domain ? { clusterId: record.id, domain } : undefined;
    const controllers = startControllers(ctx, alarm, agents, () => ca.certificatePem, edgeNames);
    started.controllers = controllers;
    const tunnels = new TunnelHub({
      byTag: (tag) => this.ctx.getWebSockets(tag),
      tagsOf: (socket) => tagsOf(this.ctx, socket as WebSocket),
    });
    tunnels.onOpen = agentOpens(ctx, tunnels); // pods' connections to Services on other nodes
    // Agents' syncs and joins, by tunnel or HTTP, take turns with users' requests.
    const agentTurns = new TurnQueue(SYNCS_PER_TURN);
    tunnels.onSync = syncOverTunnel(
      agents,
      (socket) => {
        const hash = tunnelCredentialHash(socket as WebSocket);
        return hash ? credentials.byHash(hash, ctx.now()) : undefined;
      },
      agentTurns,
    );
    const serviceAccounts = serviceAccountAuthenticator(
      issuer,
      (resource, ns, name) => store.get(resource, ns, name)?.object,
    );
    const api = kubernetesApi(ctx, credentials, tunnels, [serviceAccounts]);
    const live = { record, ctx, credentials, scheduler, controllers, alarm, activity, guard, api, tunnels };
    const serving: ServingCertificates = (token, body) => servingCertificate(ctx, credentials, ca, token, body);
    const agentRequests = (request: Request) => handleAgentRequest(agents, request, serving, () => agentTurns.turn());
    const edge = edgeIngress(ctx, tunnels, record.id, this.env.EDGE_DOMAIN);
    this.#live = { ...live, agentRequests, publicIngress: publicIngress(ctx, tunnels), edge };
    return this.#live;
  }

  override async fetch(request: Request): Promise<Response> {
    if (!this.#live) {
      await discardBody(request);
      // A public URL or host name of no cluster answers as one of an unpublished Service does.
      const isPublic = isPublicPath(new URL(request.url).pathname) || isEdgeRequest(request);
      return errorResponse(isPublic ? pathNotFound() : unauthorized());
    }
    // A host name's every path is the app's (its /agent/… or /api/… too).
    if (isEdgeRequest(request)) return this.#live.edge(request);
    // Node agents speak their own protocol (join, sync); heartbeats skip the API's rate limit
    // and do not count as use, so an idle cluster with nodes still expires.
    const { pathname } = new URL(request.url);
    if (isAgentPath(pathname)) return this.#live.agentRequests(request);
    if (pathname === AGENT_POD_TOKEN_PATH)
      return handlePodTokenRequest(this.#live.ctx, this.#live.credentials, request);
    if (isPublicPath(pathname)) return this.#live.publicIngress(request);
    if (pathname === AGENT_TUNNEL_PATH) {
      const { ctx, credentials, tunnels } = this.#live;
      return acceptTunnel(request, ctx, credentials, this.ctx, tunnels).catch(errorResponse);
    }
    return this.#live.api.fetch(request);
  }

  /** A frame on a node's tunnel (hibernation API: the object may have been woken for it). */
  override async webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    this.#live?.tunnels.onMessage(ws, message);
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    this.#live?.tunnels.onClose(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#live?.tunnels.onClose(ws);
  }

  /** Makes this object a cluster: its store, plan, first admin and join tokens, expiry alarm. */
  async provision(request: ProvisionRequest): Promise<ProvisionResult> {
    if (this.#live || readRecord(this.ctx.storage.sql)) throw new Error("cluster is already provisioned");
    if (!isClusterPlan(request.plan)) throw new Error("invalid plan");
    const { settings, problems } = parseSettings(request.settings);
    if (!settings) throw new Error(`invalid settings: ${problems.map((p) => p.message).join("; ")}`);
    const now = Date.now();
    const record: ClusterRecord & { settings: ClusterSettings } = {
      id: request.clusterId,
      plan: request.plan,
      createdAt: now,
      settings,
      ...(request.issuer ? { issuer: request.issuer } : {}),
    };
    const storage = this.ctx.storage;
    await migrate(drizzle(storage, { logger: false }), migrations);
    writeRecord(storage.sql, record);
    const live = await this.#start(record);
    const admin = await live.credentials.issue("admin", now);
    const join = await live.credentials.issue("join", now);
    const expiresAt = live.activity.deadline;
    if (expiresAt !== null) await storage.setAlarm(expiresAt);
    return { admin, join, expiresAt };
  }

  /** A new token of `role`, or undefined when this object is no cluster. */
  async createToken(role: IssuableRole, ttlSeconds?: number): Promise<IssuedToken | undefined> {
    return this.#live?.credentials.issue(role, Date.now(), ttlSeconds);
  }

  /**
   * A token for a named user in `groups` (RBAC bindings to either grant it anything), "limit" when the
   * cluster has MAX_CLUSTER_USERS already, undefined when this object is no cluster.
   */
  async createUser(username: string, groups: string[], ttlSeconds?: number): Promise<IssuedUser | "limit" | undefined> {
    const credentials = this.#live?.credentials;
    if (!credentials) return undefined;
    if (credentials.users().length >= MAX_CLUSTER_USERS) return "limit";
    const issued = await credentials.issue("user", Date.now(), ttlSeconds, { username, groups });
    return { ...issued, username, groups };
  }

  async listUsers(): Promise<UserTokenInfo[] | undefined> {
    return this.#live?.credentials.users();
  }

  /** True if `id` was a user's token; other credentials are not touched. */
  async revokeUser(id: string): Promise<boolean> {
    const credentials = this.#live?.credentials;
    return credentials?.roleOf(id) === "user" && credentials.revoke(id);
  }

  async listTokens(): Promise<TokenInfo[] | undefined> {
    return this.#live?.credentials.list();
  }

  /** True if the token existed; it stops working for the very next request. */
  async revokeToken(id: string): Promise<boolean> {
    return this.#live?.credentials.revoke(id) ?? false;
  }

  /** The cluster's plan, usage and expiry; undefined when this object is no cluster (deleted or expired). */
  async status(): Promise<ClusterStatus | undefined> {
    const live = this.#live;
    if (!live) return undefined;
    const { record, activity, guard } = live;
    return {
      id: record.id,
      plan: record.plan,
      createdAt: record.createdAt,
      lastActiveAt: activity.lastActive,
      expiresAt: activity.deadline,
      usage: guard.usage(),
      settings: settingsOf(record),
    };
  }

  /** Deletes everything the cluster stored: objects, tokens, alarm. Afterwards the object is empty. */
  async destroy(): Promise<void> {
    const live = this.#live;
    this.#live = undefined;
    if (live) {
      live.scheduler.stop();
      live.controllers.stop();
      detachGuard(live.ctx);
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /**
   * A controllers' tick, then the idle deadline: the alarm is re-armed for the earlier of the
   * controllers' next due work and the deadline (moved later by use), or not at all.
   */
  override async alarm(): Promise<void> {
    const live = this.#live;
    if (!live) return;
    live.alarm.fired();
    live.controllers.tick();
    const deadline = live.activity.deadline;
    const now = Date.now();
    if (deadline == null || now < deadline) {
      live.alarm.sync();
      return;
    }
    await this.destroy();
    await markExpiredInIndex(this.env.DB, live.record.id, now);
  }

  /** Figures for benchmarks and tests: objects held and the revision reached. */
  async stats(): Promise<{ objects: number; revision: number }> {
    const store = this.#live?.ctx.store;
    return { objects: store?.count() ?? 0, revision: store?.revision ?? 0 };
  }
}

/**
 * A socket's hibernation tags; none for one this instance never accepted, for which getTags() throws
 * ("you must call 'acceptWebSocket()'…"). A close or error handed to a fresh instance for a socket an earlier
 * one accepted would do that (the workers test pool resets objects under open tunnels); such a socket is
 * then simply closed by the hub.
 */
function tagsOf(state: DurableObjectState, socket: WebSocket): string[] {
  try {
    return state.getTags(socket);
  } catch {
    return [];
  }
}
