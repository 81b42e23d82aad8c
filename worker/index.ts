// The edge entry: health, the public API (/v1), and routing of /clusters/<id>/… to that
// cluster's Durable Object, which checks the request's token itself (one hop per kubectl call).
// Every other path is the cluster at the server's root: the bearer token names the cluster
// (kube/cluster-of-token.ts). It knows the object only by its class and typed surface. Ids that
// /v1 never created reach no object.
import { Hono } from "hono";
import { discardBody } from "../kube/http/read-capped.ts";
import { bearerToken, clusterOfToken } from "../kube/cluster-of-token.ts";
import { pathNotFound, unauthorized } from "../kube/status.ts";
import { ClusterObject } from "../durable-objects/cluster/object.ts";
import { CLUSTER_ID_PATTERN } from "./auth/tokens.ts";
import type { Env } from "./env.ts";
import { edgeRequest, edgeTarget, withoutEdgeHeader } from "./edge.ts";
import { isKnownCluster } from "./known-clusters.ts";
import { v1Api } from "./v1/router.ts";

export { ClusterObject };

/** Upstream's request body limit (apiserver MaxRequestBodyBytes); the object enforces it too. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

const app = new Hono<{ Bindings: Env }>();

/**
 * The clusters' host names (worker/edge.ts) come first: every path of an app's host is the app's, `/healthz`
 * and `/v1` included. Only a cluster /v1 created is reached; any other name is the edge's 404 page.
 */
app.use("*", async (c, next) => {
  const token = bearerToken(c.req.header("authorization")) !== "";
  const edge = await edgeTarget(c.req.raw, c.env, token);
  if (!edge) return (await staticAsset(c.env, c.req.raw, token)) ?? next();
  if (!(await knownCluster(c.env, edge.clusterId))) return discardBody(c.req.raw).then(edgeNotFound);
  return c.env.CLUSTER.get(c.env.CLUSTER.idFromName(edge.clusterId)).fetch(edgeRequest(c.req.raw, edge.kind));
});

app.get("/healthz", (c) => c.text("ok"));

app.route("/v1", v1Api());

app.all("/clusters/:id/*", async (c) => {
  const id = c.req.param("id");
  // Refused here rather than streamed to the object only to be cut off there.
  if (Number(c.req.header("content-length") ?? 0) > MAX_BODY_BYTES) return tooLargeStatus();
  if (!(await knownCluster(c.env, id))) return discardBody(c.req.raw).then(notFoundStatus);
  const url = new URL(c.req.url);
  const prefix = `/clusters/${id}`;
  url.pathname = url.pathname.slice(prefix.length) || "/";
  const stub = c.env.CLUSTER.get(c.env.CLUSTER.idFromName(id));
  return stub.fetch(withoutEdgeHeader(new Request(url, c.req.raw)));
});

/**
 * A published Service's public URL (`/public/<clusterId>/<namespace>/<service>/<path…>`): no token, passed on
 * with its URL unchanged; the object decides whether the Service is published and applies its plan's
 * public rate and body limits.
 */
app.all("/public/:id/*", async (c) => {
  const id = c.req.param("id");
  if (!(await knownCluster(c.env, id))) return discardBody(c.req.raw).then(notFoundStatus);
  return c.env.CLUSTER.get(c.env.CLUSTER.idFromName(id)).fetch(withoutEdgeHeader(c.req.raw));
});

/**
 * The cluster at the server's root: a kubeconfig's `server` has no path, so `kubectl get --raw /version`,
 * `kubectl proxy` and clients building absolute paths work. The token says which cluster; one naming none
 * that /v1 created is refused here as the apiserver refuses a bad token, and touches no object.
 */
app.all("*", async (c) => {
  if (OWN_PATHS.test(new URL(c.req.url).pathname)) return discardBody(c.req.raw).then(notFoundStatus);
  if (Number(c.req.header("content-length") ?? 0) > MAX_BODY_BYTES) return tooLargeStatus();
  const id = clusterOfToken(bearerToken(c.req.header("authorization")));
  if (id === undefined || !(await knownCluster(c.env, id))) return discardBody(c.req.raw).then(unauthorizedStatus);
  return c.env.CLUSTER.get(c.env.CLUSTER.idFromName(id)).fetch(withoutEdgeHeader(c.req.raw));
});

/**
 * The dashboard's files (the Worker runs first, so that an app's host name is the app's at every path):
 * read requests without a token whose path is not the Worker's own.
 */
async function staticAsset(env: Env, request: Request, token: boolean): Promise<Response | undefined> {
  if (token || (request.method !== "GET" && request.method !== "HEAD")) return undefined;
  if (OWN_PATHS.test(new URL(request.url).pathname)) return undefined;
  const asset = await env.ASSETS.fetch(request);
  return asset.status === 404 ? undefined : asset;
}

/** The Worker's own path families: a miss there is a 404, never taken for a cluster's path. */
const OWN_PATHS = /^\/(v1|clusters|public|healthz)(\/|$)/;

/** Cluster ids are random lowercase base32 text; anything else names no cluster and costs no lookup. */
const knownCluster = async (env: Env, id: string) => CLUSTER_ID_PATTERN.test(id) && isKnownCluster(env.DB, id);

function tooLargeStatus(): Response {
  const message = `Request entity too large: limit is ${MAX_BODY_BYTES}`;
  const status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: "RequestEntityTooLarge",
    code: 413,
  };
  return new Response(JSON.stringify(status), {
    status: 413,
    headers: { "content-type": "application/json", connection: "close" },
  });
}

/** The object's own answer for a token it does not know, so a stranger learns nothing from where it was refused. */
function unauthorizedStatus(): Response {
  return new Response(JSON.stringify(unauthorized().toStatus()), {
    status: 401,
    headers: { "content-type": "application/json" },
  });
}

/** A host name of no cluster: the same page as a cluster's name that routes nowhere (tunnel/edge.ts). */
function edgeNotFound(): Response {
  const html =
    "<!doctype html><title>404 Not Found</title><h1>404 Not Found</h1><p>Nothing is served at this address.</p>\n";
  return new Response(html, {
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

/** The object's own answer for a path that names nothing (kube/status.ts), so the two can never be told apart. */
function notFoundStatus(): Response {
  return new Response(JSON.stringify(pathNotFound().toStatus()), {
    status: 404,
    headers: { "content-type": "application/json" },
  });
}

export default app;
