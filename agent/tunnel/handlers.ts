// Which streams a node serves: the Docker runtime's logs and exec, and HTTP to its pods (proxy); the
// simulated runtime has no processes, only a log saying so.
import { attachHandler } from "../runtime/docker/attach.ts";
import { execHandler } from "../runtime/docker/exec.ts";
import { logsHandler } from "../runtime/docker/logs.ts";
import { DockerRuntime } from "../runtime/docker/runtime.ts";
import { simulatedLogsHandler } from "../runtime/simulated-logs.ts";
import type { PolicyGate } from "../network-policy/enforcer.ts";
import type { PodRuntime } from "../runtime/types.ts";
import type { StreamHandlers } from "./client.ts";
import { httpProxyHandler } from "./http-proxy.ts";
import { portForwardHandler } from "./portforward/handler.ts";
import { tcpHandler } from "./tcp.ts";
import { wsProxyHandler } from "./ws-proxy.ts";

export function streamHandlers(runtime: PodRuntime, nodeName: string, policy?: PolicyGate): StreamHandlers {
  if (!(runtime instanceof DockerRuntime)) return { logs: simulatedLogsHandler() };
  return {
    logs: logsHandler(runtime.docker, nodeName),
    exec: execHandler(runtime.docker, nodeName),
    attach: attachHandler(runtime.docker, nodeName),
    http: httpProxyHandler(),
    tcp: tcpHandler(policy),
    websocket: wsProxyHandler(),
    portforward: portForwardHandler(),
  };
}
