// The pod stream subresources on the Kubernetes API: pods/log (readable by whoever may read pods, as
// upstream's view role includes pods/log) and pods/exec (a write: upstream's view role excludes it).
import type { Hono } from "hono";
import { discardBody } from "../../../kube/http/read-capped.ts";
import type { ApiContext } from "../api/context.ts";
import { errorResponse } from "../api/respond.ts";
import { authorize } from "../auth/authorize.ts";
import type { Credential } from "../auth/credentials.ts";
import { podExec } from "./exec.ts";
import type { TunnelHub } from "./hub.ts";
import { podLogs } from "./logs.ts";

type Vars = { Variables: { credential: Credential } };

const LOG_PATH = "/api/v1/namespaces/:namespace/pods/:name/log";
const EXEC_PATH = "/api/v1/namespaces/:namespace/pods/:name/exec";

export function mountPodStreams(app: Hono<Vars>, ctx: ApiContext, hub: TunnelHub): void {
  app.get(LOG_PATH, async (c) => {
    try {
      const namespace = c.req.param("namespace");
      authorize(c.get("credential"), "GET", "pods", namespace);
      return await podLogs(ctx, hub, namespace, c.req.param("name"), new URL(c.req.url));
    } catch (error) {
      return errorResponse(error);
    }
  });
  app.on(["GET", "POST"], EXEC_PATH, async (c) => {
    try {
      const namespace = c.req.param("namespace");
      authorize(c.get("credential"), "POST", "pods/exec", namespace);
      return await podExec(ctx, hub, namespace, c.req.param("name"), c.req.raw);
    } catch (error) {
      await discardBody(c.req.raw);
      return errorResponse(error);
    }
  });
}
