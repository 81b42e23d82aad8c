// HTTP for the agent protocol, relative to the cluster: POST /agent/join, /agent/sync and
// /agent/serving-certificate. Mounted by
// the object before the Kubernetes API's authentication (join tokens are refused there).
import {
  AGENT_JOIN_PATH,
  AGENT_SERVING_CERT_PATH,
  AGENT_SYNC_PATH,
  type ServingCertificateResponse,
} from "../../../kube/agent-protocol.ts";
import { discardBody, readCapped } from "../../../kube/http/read-capped.ts";
import { badRequest, methodNotAllowed, pathNotFound, tooLarge } from "../../../kube/status.ts";
import { errorResponse, json } from "../../../kube/http/respond.ts";
import type { NodeAgents } from "./agents.ts";

const bearer = (header: string | null) => /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1].trim() ?? "";

/** Sync bodies carry statuses of up to 110 pods and their events: 3 MiB as the API's own limit. */
export const MAX_AGENT_BODY_BYTES = 3 * 1024 * 1024;

async function readJson(request: Request): Promise<unknown> {
  const bytes = request.body ? await readCapped(request.body, MAX_AGENT_BODY_BYTES) : new Uint8Array();
  if (bytes === null) throw tooLarge(`Request entity too large: limit is ${MAX_AGENT_BODY_BYTES}`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw badRequest("request body must be JSON");
  }
}

/** Whether a cluster-relative path belongs to the agent protocol. */
export const isAgentPath = (pathname: string) =>
  pathname === AGENT_JOIN_PATH || pathname === AGENT_SYNC_PATH || pathname === AGENT_SERVING_CERT_PATH;

/** Signs a node's serving key for the in-cluster API endpoint (nodes/serving-certificate.ts). */
export type ServingCertificates = (token: string, body: unknown) => Promise<ServingCertificateResponse>;

export async function handleAgentRequest(
  agents: NodeAgents,
  request: Request,
  serving?: ServingCertificates,
  /** Waits for the request's turn (nodes/turn-queue.ts): a thousand joining agents do not queue users behind them. */
  turn?: () => Promise<void>,
): Promise<Response> {
  try {
    const { pathname } = new URL(request.url);
    if (!isAgentPath(pathname)) throw pathNotFound();
    if (request.method !== "POST") throw methodNotAllowed(`the agent protocol accepts POST, not ${request.method}`);
    const token = bearer(request.headers.get("authorization"));
    const body = await readJson(request);
    await turn?.();
    if (pathname === AGENT_JOIN_PATH) return json(await agents.join(token, body), 201);
    if (pathname === AGENT_SERVING_CERT_PATH) {
      if (!serving) throw pathNotFound();
      return json(await serving(token, body), 201);
    }
    return json(await agents.sync(token, body));
  } catch (error) {
    await discardBody(request);
    return errorResponse(error);
  }
}
