// The attach stream: the container's main process through Docker's attach (hijacked, streaming only what
// comes from now on), pumped as exec's is (interactive.ts). Leaving drops the connection, which detaches;
// with stdinOnce Docker then closes the process's stdin, as upstream's kubelet does.
import http from "node:http";
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
    const io = await hijackAttach(docker, req);
    // The runtime's framing follows how the container was created, whatever the client asked for.
    const tty = info.Config.Tty === true;
    const resize = (size: { width: number; height: number }) => container.resize({ h: size.height, w: size.width });
    await pumpInteractive(stream, { io, tty, resize });
    return {};
  };
}

/**
 * POST /containers/{id}/attach, hijacked, with an empty body. Not dockerode's attach: it sends the options as a
 * JSON body (chunked) too, and Podman reads whatever body comes, the chunk framing included, as the process's
 * first input. Here the options go in the query only, with Content-Length: 0; stdin is then written on the
 * hijacked connection.
 */
function hijackAttach(docker: Docker, req: AttachOpen): Promise<Duplex> {
  const flag = (on: boolean) => (on ? "1" : "0");
  const query = `stream=1&stdin=${flag(req.stdin)}&stdout=${flag(req.stdout)}&stderr=${flag(req.stderr)}`;
  const modem = docker.modem as { socketPath?: string; host?: string; port?: number | string };
  return new Promise((resolve, reject) => {
    const request = http.request({
      ...(modem.socketPath ? { socketPath: modem.socketPath } : { host: modem.host, port: modem.port }),
      path: `/containers/${encodeURIComponent(req.containerID)}/attach?${query}`,
      method: "POST",
      headers: { connection: "Upgrade", upgrade: "tcp", "content-length": "0" },
    });
    request.on("upgrade", (_res, socket, head) => {
      if (head.byteLength > 0) socket.unshift(head);
      resolve(socket);
    });
    request.on("response", (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => reject(new Error(`attach refused (${res.statusCode}): ${body.trim()}`)));
    });
    request.on("error", reject);
    request.end();
  });
}
