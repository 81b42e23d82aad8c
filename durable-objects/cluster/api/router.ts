// The Kubernetes API of one cluster: authentication, then version, discovery, OpenAPI and
// the resource verbs. Paths here are relative to the cluster (the Worker strips /clusters/<id>).
import { discardBody } from "../../../kube/http/read-capped.ts";
import { Hono } from "hono";
import { pathNotFound, unauthorized } from "../../../kube/status.ts";
import type { TokenAuthenticator, UserInfo } from "../../../kube/user-info.ts";
import { startAccessControl } from "../auth/access.ts";
import { authenticationChain, bearerToken, clusterCredentialAuthenticator } from "../auth/authenticate.ts";
import type { Credentials } from "../auth/credentials.ts";
import { forbiddenError } from "../auth/forbidden.ts";
import { impersonate, wantsImpersonation } from "../auth/impersonation.ts";
import { requestInfo } from "../auth/request-info.ts";
import { mountReviews } from "./review-routes.ts";
import { requestLimits } from "../limits/hooks.ts";
import { CONTROLLERS_DEBUG_PATH, controllerStatsResponse } from "../controllers/debug.ts";
import { metricsResponse } from "./metrics.ts";
import { METRICS_GROUP } from "../metrics/discovery.ts";
import type { ApiContext } from "../context.ts";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from "./discovery.ts";
import { mountIssuerDiscovery } from "./issuer-discovery.ts";
import { parseAccept, wantsAggregatedDiscovery } from "./negotiate.ts";
import { groupVersionDocument, hashOf, openApiRoot } from "./openapi.ts";
import { openApiV2Response } from "./openapi-v2.ts";
import { parseResourcePath } from "./paths.ts";
import { handleResource } from "./resources.ts";
import { errorResponse, json } from "../../../kube/http/respond.ts";
import { warningHeaderValue } from "../writes/field-validation.ts";
import { versionInfo } from "./version.ts";
import type { TunnelHub } from "../tunnel/hub.ts";
import { mountPodStreams } from "../tunnel/routes.ts";

type Vars = { Variables: { user: UserInfo } };

function orNotFound<T>(doc: T | undefined): T {
  if (doc === undefined) throw pathNotFound();
  return doc;
}

/**
 * The API behind authentication (the cluster's credentials first, then `authenticators`), impersonation and
 * RBAC: every request is authorized here, before any handler, as upstream's filter chain does.
 */
export function kubernetesApi(
  ctx: ApiContext,
  credentials: Credentials,
  tunnels?: TunnelHub,
  authenticators: readonly TokenAuthenticator[] = [],
): Hono<Vars> {
  const app = new Hono<Vars>();
  const rbac = startAccessControl(ctx);
  const authenticate = authenticationChain([clusterCredentialAuthenticator(credentials), ...authenticators]);
  // An unread body would be read by the runtime after the answer went ("Can't read from request
  // stream after response has been sent"), and a client sending one would wait on it.
  app.onError(async (err, c) => {
    await discardBody(c.req.raw);
    return errorResponse(err);
  });
  app.notFound(async (c) => {
    await discardBody(c.req.raw);
    return errorResponse(pathNotFound());
  });

  app.use(async (c, next) => {
    const authenticated = await authenticate(bearerToken(c.req.header("authorization")), ctx.now());
    if (!authenticated) {
      await discardBody(c.req.raw);
      return errorResponse(unauthorized());
    }
    const headers = c.req.raw.headers;
    const authorize = rbac.authorize.bind(rbac);
    const user = wantsImpersonation(headers) ? impersonate(authenticated, headers, authorize) : authenticated;
    const attrs = { user, ...requestInfo(c.req.method, new URL(c.req.url)) };
    const decision = authorize(attrs);
    if (!decision.allowed) throw forbiddenError(attrs, decision.reason);
    c.set("user", user);
    await next();
  });
  app.use(requestLimits(ctx));

  const discovery =
    (core: boolean, legacy: () => unknown) => (c: { req: { header(name: string): string | undefined } }) => {
      const aggregated = wantsAggregatedDiscovery(parseAccept(c.req.header("accept") ?? null));
      if (!aggregated) return json(legacy());
      // The ETag changes with the kinds served (CRDs come and go), so clients' cached copies refresh.
      const doc = aggregatedDiscovery(ctx.kinds, core, aggregated);
      const etag = `"${hashOf(JSON.stringify(doc))}"`;
      if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers: { etag } });
      const response = json(doc, 200, aggregatedContentType(aggregated));
      response.headers.set("etag", etag);
      return response;
    };

  // Upstream answers these with a trailing slash too, as the Python client asks (VersionApi: /version/).
  for (const slash of ["", "/"]) {
    app.get(`/version${slash}`, () => json(versionInfo));
    app.get(`/api${slash}`, (c) => discovery(true, () => apiVersions(new URL(c.req.url).host))(c));
    app.get(
      `/apis${slash}`,
      discovery(false, () => apiGroupList(ctx.kinds)),
    );
  }
  app.get("/api/:version", (c) => json(orNotFound(apiResourceList(ctx.kinds, "", c.req.param("version")))));
  app.get("/apis/:group", (c) => json(orNotFound(apiGroupDocument(ctx.kinds, c.req.param("group")))));
  app.get("/apis/:group/:version", (c) =>
    json(orNotFound(apiResourceList(ctx.kinds, c.req.param("group"), c.req.param("version")))),
  );
  app.get("/openapi/v3", () => json(openApiRoot(ctx.kinds)));
  app.get("/openapi/v2", (c) => openApiV2Response(ctx.kinds, c.req.raw));
  app.get("/openapi/v3/api/:version", (c) =>
    json(orNotFound(groupVersionDocument(ctx.kinds, "", c.req.param("version")))),
  );
  app.get("/openapi/v3/apis/:group/:version", (c) =>
    json(orNotFound(groupVersionDocument(ctx.kinds, c.req.param("group"), c.req.param("version")))),
  );

  mountIssuerDiscovery(app, () => ctx.serviceAccountIssuer);
  app.get(CONTROLLERS_DEBUG_PATH, () => controllerStatsResponse(ctx.controllerStats));
  app.all(`/apis/${METRICS_GROUP}/*`, (c) => metricsResponse(ctx, c.req.raw));
  mountReviews(app, { rbac, authenticate, now: () => ctx.now() });
  if (tunnels) mountPodStreams(app, ctx, tunnels);
  app.all("/api/*", (c) => resource(c.req.raw, c.get("user")));
  app.all("/apis/*", (c) => resource(c.req.raw, c.get("user")));

  async function resource(request: Request, user: UserInfo): Promise<Response> {
    try {
      const target = { ...parseResourcePath(new URL(request.url).pathname, ctx.kinds), user };
      const response = await handleResource(ctx, request, target);
      // A deprecated CRD version warns on every request, as upstream's deprecation filter does.
      if (target.kind.deprecationWarning)
        response.headers.append("warning", warningHeaderValue(target.kind.deprecationWarning));
      return response;
    } catch (err) {
      await discardBody(request);
      return errorResponse(err);
    }
  }
  return app;
}
