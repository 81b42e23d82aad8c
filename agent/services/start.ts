// The node-local service proxy as the agent runs it: listening on the runtime's bridge gateway (pods reach
// their node there), its state in the agent's state dir, restored before any pod starts.
import { join } from "node:path";
import type Docker from "dockerode";
import type { ConnectOpen } from "../../kube/tunnel-protocol.ts";
import type { AgentStream } from "../tunnel/stream.ts";
import { bindAddress, bridgeGateway } from "./gateway.ts";
import { ServiceProxy } from "./proxy.ts";
import { ProxyStateFile, SERVICE_STATE_FILE } from "./state.ts";

const GATEWAY_CHECK_MS = 500;

export interface StartProxyOptions {
  docker: Docker;
  nodeName: string;
  stateDir: string;
  /** Told to pods when the runtime has no bridge gateway (they reach the node at its own address). */
  hostIP: string;
  openStream: (open: ConnectOpen) => AgentStream;
  log: (message: string) => void;
}

export async function startServiceProxy(options: StartProxyOptions): Promise<ServiceProxy> {
  const gateway = await bridgeGateway(options.docker);
  const proxy = new ServiceProxy({
    nodeName: options.nodeName,
    bindHost: () => bindAddress(gateway),
    advertiseHost: gateway ?? options.hostIP,
    state: new ProxyStateFile(join(options.stateDir, SERVICE_STATE_FILE)),
    openStream: options.openStream,
    log: options.log,
  });
  await proxy.restore();
  options.log(`service proxy: listening on ${bindAddress(gateway)}, pods told ${gateway ?? options.hostIP}`);
  if (gateway) moveWhenGatewayAppears(proxy, gateway, options.log);
  return proxy;
}

/** Podman brings its bridge up with the first container: listeners move onto it as soon as it is there. */
function moveWhenGatewayAppears(proxy: ServiceProxy, gateway: string, log: (message: string) => void): void {
  if (bindAddress(gateway) === gateway) return;
  const timer = setInterval(() => {
    if (bindAddress(gateway) !== gateway) return;
    clearInterval(timer);
    proxy.refresh().then(
      () => log(`service proxy: listening on ${gateway}`),
      (error: Error) => log(`service proxy: ${error.message}`),
    );
  }, GATEWAY_CHECK_MS);
  timer.unref();
}
