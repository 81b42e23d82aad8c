// The exec stream: Docker exec with a hijacked connection (interactive.ts pumps it), and the exit code
// when the command ends.
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import type { ExecOpen, OpenRequest } from "../../../kube/tunnel-protocol.ts";
import type { AgentStream } from "../../tunnel/stream.ts";
import { pumpInteractive } from "./interactive.ts";
import { nodeContainer } from "./logs.ts";

/** How long to wait for the runtime to record the exit code after the output ended. */
const EXIT_WAIT_MS = 2_000;

export function execHandler(docker: Docker, nodeName: string) {
  return async (open: OpenRequest, stream: AgentStream) => {
    const req = open as ExecOpen;
    const { container } = await nodeContainer(docker, req.containerID, nodeName);
    const exec = await container.exec({
      Cmd: req.command,
      AttachStdin: req.stdin,
      AttachStdout: req.stdout,
      AttachStderr: req.stderr,
      Tty: req.tty,
    });
    const io = (await exec.start({ hijack: true, stdin: req.stdin, Tty: req.tty })) as Duplex;
    const resize = (size: { width: number; height: number }) => exec.resize({ h: size.height, w: size.width });
    if (!(await pumpInteractive(stream, { io, tty: req.tty, resize }))) return undefined;
    return { exitCode: await exitCode(exec) };
  };
}

/** The exec's exit code; the output can end a moment before the runtime has recorded the exit. */
async function exitCode(exec: Docker.Exec): Promise<number> {
  const deadline = Date.now() + EXIT_WAIT_MS;
  for (;;) {
    const inspected = await exec.inspect();
    if (!inspected.Running || Date.now() > deadline) return inspected.ExitCode ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
