// Finding the container runtime: DOCKER_HOST when set, otherwise the usual Docker and Podman sockets.
import { existsSync } from "node:fs";
import Docker from "dockerode";

export function socketCandidates(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string[] {
  const runtimeDir = env.XDG_RUNTIME_DIR ?? `/run/user/${uid}`;
  return [
    "/var/run/docker.sock",
    "/run/podman/podman.sock",
    `${runtimeDir}/podman/podman.sock`,
    `${runtimeDir}/docker.sock`,
  ];
}

/** The Docker API endpoint to use, or undefined when none is found. */
export function findDockerHost(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  const socket = socketCandidates(env).find((path) => existsSync(path));
  return socket ? `unix://${socket}` : undefined;
}

export function connectDocker(host: string): Docker {
  if (host.startsWith("unix://")) return new Docker({ socketPath: host.slice("unix://".length) });
  const url = new URL(host.replace(/^tcp:/, "http:"));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
}

/** nodeInfo.containerRuntimeVersion: "podman://4.3.1" behind Podman's compat API, "docker://24.0.7" otherwise. */
export async function runtimeVersion(docker: Docker): Promise<string> {
  const version = await docker.version();
  const podman = version.Components?.find((c) => c.Name === "Podman Engine");
  return podman ? `podman://${podman.Version}` : `docker://${version.Version}`;
}

/** Why the Docker API at `host` cannot be used, or undefined when it answers a ping (a stale socket file does not). */
export async function dockerUnreachable(host: string, timeoutMs = 3_000): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const ping = connectDocker(host)
    .ping()
    .then(
      () => undefined,
      (error: Error) => error.message,
    );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
