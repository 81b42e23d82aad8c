// The Kubernetes API of one cluster: authentication, then version, discovery, OpenAPI and
// the resource verbs. Paths here are relative to the cluster (the Worker strips /clusters/<id>).
import { discardBody } from "../../../kube/http/read-capped.ts";
import { Hono } from "hono";
import { pathNotFound, unauthorized } from "../../../kube/status.ts";
import { authorize } from "../auth/authorize.ts";
import { serviceAccountAuthenticator } from "../auth/service-account-authenticator.ts";
import type { Credential, Credentials } from "../auth/credentials.ts";
import { requestLimits } from "../limits/hooks.ts";
import { CONTROLLERS_DEBUG_PATH, controllerStatsResponse } from "../controllers/debug.ts";
import { metricsResponse } from "../metrics/api.ts";
import { METRICS_GROUP } from "../metrics/discovery.ts";
import type { ApiContext } from "./context.ts";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from "./discovery.ts";
import { parseAccept, wantsAggregatedDiscovery } from "./negotiate.ts";
import { mountIssuerDiscovery } from "./issuer-discovery.ts";
import { groupVersionDocument, openApiRoot } from "./openapi.ts";
import { parseResourcePath } from "./paths.ts";
import { handleResource } from "./resources.ts";
import { errorResponse, json } from "./respond.ts";
import { versionInfo } from "./version.ts";
import type { TunnelHub } from "../tunnel/hub.ts";
import { mountPodStreams } from "../tunnel/routes.ts";

const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

type Vars = { Variables: { credential: Credential } };

function bearer(header: string | undefined): string {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match ? match[1].trim() : "";
}

function orNotFound<T>(doc: T | undefined): T {
  if (doc === undefined) throw pathNotFound();
  return doc;
}

export function kubernetesApi(ctx: ApiContext, credentials: Credentials, tunnels?: TunnelHub): Hono<Vars> {
  const app = new Hono<Vars>();
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

  const serviceAccounts =
    ctx.serviceAccountIssuer &&
    serviceAccountAuthenticator(
      ctx.serviceAccountIssuer,
      (resource, ns, name) => ctx.store.get(resource, ns, name)?.object,
    );
  app.use(async (c, next) => {
    const token = bearer(c.req.header("authorization"));
    const credential = (await credentials.verify(token, ctx.now())) ?? (await serviceAccountCredential(token));
    if (!credential || credential.role === "join") {
      await discardBody(c.req.raw);
      return errorResponse(unauthorized());
    }
    c.set("credential", credential);
    await next();
  });
  app.use(requestLimits(ctx));

  /**
   * Until the RBAC authorizer arrives (issue 16, h-rbac), a ServiceAccount that authenticates acts with
   * the "view" role: it reads and never writes.
   */
  async function serviceAccountCredential(token: string): Promise<Credential | undefined> {
    const user = serviceAccounts && token ? await serviceAccounts(token, ctx.now()) : undefined;
    return user && { id: user.username, role: "view", subject: null, expiresAt: null };
  }

  const discovery =
    (core: boolean, legacy: () => unknown) => (c: { req: { header(name: string): string | undefined } }) => {
      const aggregated = wantsAggregatedDiscovery(parseAccept(c.req.header("accept") ?? null));
      if (aggregated)
        return json(aggregatedDiscovery(ctx.kinds, core, aggregated), 200, aggregatedContentType(aggregated));
      return json(legacy());
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
  // OpenAPI v2 is served as an empty document (kubectl asks for it in protobuf, and an empty
  // message is a valid one): schemas live in v3, and kubectl's v2 validation then skips kinds
  // it cannot find, leaving an unknown kind to the "no matches for kind" error upstream users know.
  app.get("/openapi/v2", () => new Response(new Uint8Array(0), { headers: { "content-type": OPENAPI_V2_PROTOBUF } }));
  app.get("/openapi/v3/api/:version", (c) =>
    json(orNotFound(groupVersionDocument(ctx.kinds, "", c.req.param("version")))),
  );
  app.get("/openapi/v3/apis/:group/:version", (c) =>
    json(orNotFound(groupVersionDocument(ctx.kinds, c.req.param("group"), c.req.param("version")))),
  );

  mountIssuerDiscovery(app, () => ctx.serviceAccountIssuer);
  app.get(CONTROLLERS_DEBUG_PATH, (c) => controllerStatsResponse(ctx.controllerStats, c.get("credential")));
  app.all(`/apis/${METRICS_GROUP}/*`, (c) => metricsResponse(ctx, c.req.raw, c.get("credential")));
  if (tunnels) mountPodStreams(app, ctx, tunnels);
  app.all("/api/*", (c) => resource(c.req.raw, c.get("credential")));
  app.all("/apis/*", (c) => resource(c.req.raw, c.get("credential")));

  async function resource(request: Request, credential: Credential): Promise<Response> {
    try {
      const target = parseResourcePath(new URL(request.url).pathname, ctx.kinds);
      authorize(credential, request.method, target.kind.plural, target.namespace, target.kind.group);
      return await handleResource(ctx, request, target);
    } catch (err) {
      await discardBody(request);
      return errorResponse(err);
    }
  }
  return app;
}
