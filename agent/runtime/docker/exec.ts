// The exec stream: Docker exec with a hijacked connection, stdin and resizes from the tunnel, stdout and
// stderr back on Kubernetes' channel numbers, and the exit code when the command ends.
import type Docker from "dockerode";
import { Channel, type ExecOpen, type OpenRequest } from "../../../kube/tunnel-protocol.ts";
import { parseResize } from "../../../kube/tunnel-protocol-channels.ts";
import type { AgentStream } from "../../tunnel/stream.ts";
import { nodeContainer, StdioDemuxer } from "./logs.ts";

const withChannel = (channel: number, data: Buffer) => Buffer.concat([Buffer.from([channel]), data]);

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
    const io = await exec.start({ hijack: true, stdin: req.stdin, Tty: req.tty });
    stream.onData = (bytes) => {
      const data = Buffer.from(bytes.subarray(1));
      if (bytes[0] === Channel.stdin) io.write(data, () => stream.consumed(bytes.byteLength));
      else {
        stream.consumed(bytes.byteLength);
        const size = bytes[0] === Channel.resize ? parseResize(data) : undefined;
        if (size) void exec.resize({ h: size.height, w: size.width }).catch(() => {});
        if (bytes[0] === Channel.close && data[0] === Channel.stdin) io.end();
      }
    };
    stream.accept();
    const hangUp = () => io.destroy();
    stream.signal.addEventListener("abort", hangUp);
    const demux = req.tty ? undefined : new StdioDemuxer();
    try {
      for await (const chunk of io as AsyncIterable<Buffer>) {
        const parts = demux ? demux.push(chunk) : [{ stream: Channel.stdout, data: chunk }];
        for (const part of parts) {
          const channel = part.stream === 2 ? Channel.stderr : Channel.stdout;
          if (!(await stream.write(withChannel(channel, part.data)))) return undefined;
        }
      }
    } finally {
      stream.signal.removeEventListener("abort", hangUp);
    }
    const inspected = await exec.inspect();
    return { exitCode: inspected.ExitCode ?? 0 };
  };
}
