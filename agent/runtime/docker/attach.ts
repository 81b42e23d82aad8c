// The attach stream: the container's main process through Docker's attach (hijacked, streaming only what
// comes from now on), pumped as exec's is (interactive.ts). Leaving drops the connection, which detaches;
// with stdinOnce Docker then closes the process's stdin, as upstream's kubelet does.
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import type { AttachOpen, OpenRequest } from "../../../kube/tunnel-protocol.ts";
import type { AgentStream } from "../../tunnel/stream.ts";
import { pumpInteractive } from "./interactive.ts";
import { nodeContainer } from "./logs.ts";

export function attachHandler(docker: Docker, nodeName: string) {
  return async (open: OpenRequest, stream: AgentStream) => {
    const req = open as AttachOpen;
    const { container, info } = await nodeContainer(docker, req.containerID, nodeName);
    const io = (await container.attach({
      stream: true,
      hijack: true,
      stdin: req.stdin,
      stdout: req.stdout,
      stderr: req.stderr,
    })) as unknown as Duplex;
    // The runtime's framing follows how the container was created, whatever the client asked for.
    const tty = info.Config.Tty === true;
    const resize = (size: { width: number; height: number }) => container.resize({ h: size.height, w: size.width });
    await pumpInteractive(stream, { io, tty, resize });
    return {};
  };
}
