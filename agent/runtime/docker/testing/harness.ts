// Test harness for the docker runtime against a real Podman or Docker API: a runtime on a throwaway node
// name and state directory, pods built from short specs, and waiting for statuses to reach a state.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PodAssignment, PodStatusUpdate } from "../../../../kube/agent-protocol.ts";
import type { ConfigMap, Pod, PodSpec, PodStatus, Secret } from "../../../../kube/pod-types.ts";
import type { PodTokenManager } from "../../../pod/tokens.ts";
import { findDockerHost } from "../connect.ts";
import { DockerRuntime } from "../runtime.ts";
import { imagePresent } from "../images.ts";
import { LABEL_NODE } from "../labels.ts";

export const BUSYBOX = "docker.io/library/busybox:latest";

/** Why the Podman tests cannot run here, or undefined when they can. Under CI=true they never skip. */
export async function podmanUnavailable(): Promise<string | undefined> {
  const host = findDockerHost();
  if (!host) return "no Docker or Podman API socket found (set DOCKER_HOST)";
  const runtime = new DockerRuntime({
    dockerHost: host,
    nodeName: "probe",
    hostIP: "127.0.0.1",
    podsDir: "/tmp",
    nodeAllocatable: {},
  });
  try {
    await runtime.docker.ping();
  } catch (error) {
    return `the API at ${host} does not answer: ${(error as Error).message}`;
  }
  if (!(await imagePresent(runtime.docker, BUSYBOX)))
    return `${BUSYBOX} is missing: run agent/runtime/docker/testing/build-busybox-image.sh`;
  return undefined;
}

export interface PodmanGate {
  /** Why Podman cannot be used here, or undefined. */
  unavailable?: string;
  /** Skip the suite: Podman is missing and this is not CI (under CI=true a missing Podman fails instead). */
  skip: boolean;
  /** For beforeAll: throws under CI=true when Podman is missing. */
  require(): void;
}

/** Whether a suite on real containers runs here; warns once when it is skipped. */
export async function podmanGate(suite: string): Promise<PodmanGate> {
  const unavailable = await podmanUnavailable();
  const inCI = process.env.CI === "true" || process.env.CI === "1";
  if (unavailable && !inCI) console.warn(`${suite} skipped: ${unavailable}`);
  return {
    unavailable,
    skip: Boolean(unavailable) && !inCI,
    require: () => {
      if (unavailable) throw new Error(`Podman is required under CI=true: ${unavailable}`);
    },
  };
}

let counter = 0;

export function makePod(name: string, spec: Partial<PodSpec>, namespace = "default"): Pod {
  const uid = `${Date.now().toString(36)}-${process.pid}-${counter++}-${name}`;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, uid, resourceVersion: "1" },
    spec: { containers: [], terminationGracePeriodSeconds: 5, ...spec },
  };
}

export function configMap(name: string, data: Record<string, string>): ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data };
}

export function secret(name: string, values: Record<string, string>): Secret {
  const data = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
  return { apiVersion: "v1", kind: "Secret", metadata: { name }, data };
}

export class Harness {
  statuses = new Map<string, PodStatus>();
  terminated = new Set<string>();
  events: { reason: string; message: string; count: number }[] = [];
  runtime!: DockerRuntime;
  stateDir = "";
  readonly nodeName = `test-${process.pid}-${Date.now().toString(36)}`;
  /** Set before start(): the pods' ServiceAccount tokens (absent: projected tokens cannot be written). */
  podTokens?: PodTokenManager;

  async start(restored: PodAssignment[] = []): Promise<this> {
    this.stateDir ||= await mkdtemp(join(tmpdir(), "flotilla-agent-"));
    this.runtime = new DockerRuntime({
      dockerHost: findDockerHost()!,
      nodeName: this.nodeName,
      hostIP: "127.0.0.1",
      podsDir: join(this.stateDir, "pods"),
      nodeAllocatable: { cpu: "2", memory: "4Gi" },
      periodMs: 250,
      podTokens: this.podTokens,
    });
    this.runtime.onChange(() => this.#drain());
    await this.runtime.start(restored);
    return this;
  }

  #drain(): void {
    const report = this.runtime.drain();
    for (const update of report.statuses) this.statuses.set(update.uid, update.status);
    for (const uid of report.terminated) this.terminated.add(uid);
    this.events.push(...report.events);
  }

  run(pod: Pod, configMaps: ConfigMap[] = [], secrets: Secret[] = []): PodAssignment {
    const assignment = {
      pod,
      configMaps: Object.fromEntries(configMaps.map((c) => [c.metadata.name!, c])),
      secrets: Object.fromEntries(secrets.map((s) => [s.metadata.name!, s])),
    };
    this.runtime.apply(assignment);
    return assignment;
  }

  async waitFor(pod: Pod, predicate: (s: PodStatus) => boolean, timeoutMs = 30_000): Promise<PodStatus> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const status = this.statuses.get(pod.metadata.uid!);
      if (status && predicate(status)) return status;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out; last status: ${JSON.stringify(this.statuses.get(pod.metadata.uid!), null, 1)}`);
  }

  /** The node's containers as the runtime lists them. */
  async containers(): Promise<{ id: string; name: string; state: string }[]> {
    const list = await this.runtime.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL_NODE}=${this.nodeName}`] },
    });
    return list
      .map((c) => ({ id: c.Id, name: c.Names[0]?.replace(/^\//, "") ?? "", state: c.State }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** docker exec, returning stdout+stderr. */
  async exec(containerName: string, command: string[]): Promise<string> {
    const list = await this.containers();
    const target = list.find((c) => c.name.startsWith(`k8s_${containerName}_`) && c.state === "running");
    if (!target) throw new Error(`no running container ${containerName}`);
    const exec = await this.runtime.docker
      .getContainer(target.id)
      .exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    await new Promise((r) => stream.on("end", r));
    const { demux } = await import("../probes.ts");
    return demux(Buffer.concat(chunks));
  }

  async stop(): Promise<void> {
    await this.runtime.close();
  }

  /** Removes everything this node created. */
  async cleanup(): Promise<void> {
    await this.runtime.close();
    const list = await this.containers();
    const infraLast = [
      ...list.filter((c) => !c.name.startsWith("k8s_POD_")),
      ...list.filter((c) => c.name.startsWith("k8s_POD_")),
    ];
    for (const c of infraLast)
      await this.runtime.docker
        .getContainer(c.id)
        .remove({ force: true })
        .catch(() => {});
    if (this.stateDir) await rm(this.stateDir, { recursive: true, force: true });
  }
}

export type { PodStatusUpdate };
