// The pod stream subresources on the Kubernetes API: pods/log, pods/exec, pods/attach, pods/portforward,
// pods/proxy and services/proxy. The router's RBAC check has authorized each request before it gets here
// (get pods/log, create pods/exec … whatever the method, get/create/… pods/proxy as the method says).
import type { Hono } from "hono";
import { discardBody } from "../../../kube/http/read-capped.ts";
import type { ApiContext } from "../context.ts";
import { errorResponse } from "../../../kube/http/respond.ts";
import type { UserInfo } from "../../../kube/user-info.ts";
import { podAttach } from "./attach.ts";
import { podExec } from "./exec.ts";
import type { TunnelHub } from "./hub.ts";
import { podLogs } from "./logs.ts";
import { podPortForward } from "./portforward.ts";
import { podProxy, RoundRobin, serviceProxy } from "./proxy.ts";

type Vars = { Variables: { user: UserInfo } };

const LOG_PATH = "/api/v1/namespaces/:namespace/pods/:name/log";
const EXEC_PATH = "/api/v1/namespaces/:namespace/pods/:name/exec";
const ATTACH_PATH = "/api/v1/namespaces/:namespace/pods/:name/attach";
const PORTFORWARD_PATH = "/api/v1/namespaces/:namespace/pods/:name/portforward";
const PROXY_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const proxyPaths = (resource: string) => [
  `/api/v1/namespaces/:namespace/${resource}/:name/proxy`,
  `/api/v1/namespaces/:namespace/${resource}/:name/proxy/*`,
];

export function mountPodStreams(app: Hono<Vars>, ctx: ApiContext, hub: TunnelHub): void {
  app.get(LOG_PATH, async (c) => {
    try {
      const namespace = c.req.param("namespace");
      return await podLogs(ctx, hub, namespace, c.req.param("name"), new URL(c.req.url));
    } catch (error) {
      return errorResponse(error);
    }
  });
  for (const [path, serve] of [
    [EXEC_PATH, podExec],
    [ATTACH_PATH, podAttach],
    [PORTFORWARD_PATH, podPortForward],
  ] as const)
    app.on(["GET", "POST"], path, async (c) => {
      try {
        const namespace = c.req.param("namespace") ?? "";
        return await serve(ctx, hub, namespace, c.req.param("name") ?? "", c.req.raw);
      } catch (error) {
        await discardBody(c.req.raw);
        return errorResponse(error);
      }
    });
  const balancer = new RoundRobin();
  for (const [resource, serve] of [
    ["pods", (ns: string, id: string, req: Request) => podProxy(ctx, hub, ns, id, req)],
    ["services", (ns: string, id: string, req: Request) => serviceProxy(ctx, hub, balancer, ns, id, req)],
  ] as const)
    for (const path of proxyPaths(resource))
      app.on(PROXY_METHODS, path, async (c) => {
        try {
          const namespace = c.req.param("namespace") ?? "";
          const name = c.req.param("name") ?? "";
          return await serve(namespace, name, c.req.raw);
        } catch (error) {
          await discardBody(c.req.raw);
          return errorResponse(error);
        }
      });
}
