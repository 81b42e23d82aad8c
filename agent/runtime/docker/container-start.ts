// Starting one container of a pod: image (with pull back-off), environment, mounts, create, start. Each
// failure becomes the container's waiting reason, as the kubelet reports it.
import type Docker from "dockerode";
import type { Container, Pod } from "../../../kube/pod-types.ts";
import { goDuration } from "../../backoff.ts";
import { ContainerConfigError, expandCommand, type PodReferences, resolveEnv } from "../../pod/env.ts";
import { type BindMount, containerMounts, type VolumePlan } from "../../pod/volumes.ts";
import { kindFieldPath } from "../events.ts";
import { appCreateOptions } from "./container-spec.ts";
import type { WorkerContext } from "./context.ts";
import { podFileMounts } from "./pod-files.ts";
import { verifyRunAsNonRoot } from "./security-context.ts";
import { makeMountSources } from "./volumes-fs.ts";
import { ensureImage, PullAborted, PullError } from "./images.ts";

export interface Waiting {
  reason: string;
  message?: string;
}

export interface StartRequest {
  pod: Pod;
  refs: PodReferences;
  container: Container;
  kind: "init" | "app" | "ephemeral";
  attempt: number;
  infraId: string;
  plans: VolumePlan[];
  /** The pod's /etc/hosts, resolv.conf and hostname files (pod-files.ts). */
  podMounts?: BindMount[];
  utsMode?: string;
  /** The PID namespace to join (container:<id>): an ephemeral container's target, or the infra's when shared. */
  pidMode?: string;
  /** Aborted when the pod is deleted: an image pull in progress is abandoned. */
  signal?: AbortSignal;
}

export type StartOutcome = { started: true; id: string } | { started: false; waiting: Waiting; retryInMs: number };

const podKey = (pod: Pod) => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

async function pull(ctx: WorkerContext, req: StartRequest): Promise<StartOutcome | undefined> {
  const { pod, container } = req;
  const image = container.image ?? "";
  const fieldPath = kindFieldPath(container.name, req.kind);
  const key = `${pod.metadata.uid}/${image}`;
  try {
    const result = await ensureImage(
      ctx.docker,
      container,
      () => ctx.events.record(pod, "Normal", "Pulling", `Pulling image "${image}"`, fieldPath),
      req.signal,
    );
    if (result.pulled) {
      const seconds = (result.ms / 1000).toFixed(3);
      ctx.events.record(
        pod,
        "Normal",
        "Pulled",
        `Successfully pulled image "${image}" in ${seconds}s (${seconds}s including waiting)`,
        fieldPath,
      );
    } else
      ctx.events.record(pod, "Normal", "Pulled", `Container image "${image}" already present on machine`, fieldPath);
    return undefined;
  } catch (error) {
    if (error instanceof PullAborted) return { started: false, waiting: { reason: "ContainerCreating" }, retryInMs: 0 };
    if (!(error instanceof PullError)) throw error;
    const delay = ctx.pullBackoff.next(key, ctx.now());
    const never = error.message.includes("pull policy of Never");
    const reason = never ? "ErrImageNeverPull" : "ErrImagePull";
    ctx.events.record(
      pod,
      "Warning",
      "Failed",
      never ? error.message : `Failed to pull image "${image}": ${error.message}`,
      fieldPath,
    );
    ctx.events.record(pod, "Warning", "Failed", `Error: ${reason}`, fieldPath);
    return { started: false, waiting: { reason, message: error.message }, retryInMs: delay };
  }
}

/** The image's configured user, read only when runAsNonRoot needs it verified. */
async function imageUser(ctx: WorkerContext, pod: Pod, container: Container): Promise<string | undefined> {
  const sc = container.securityContext;
  const nonRoot = sc?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
  const uid = sc?.runAsUser ?? pod.spec.securityContext?.runAsUser;
  if (nonRoot !== true || uid !== undefined || !container.image) return undefined;
  const info = await ctx.docker.getImage(container.image).inspect();
  return info.Config?.User ?? "";
}

/** Pulls, configures, creates and starts one container instance. */
export async function startContainer(ctx: WorkerContext, req: StartRequest): Promise<StartOutcome> {
  const { pod, container } = req;
  const fieldPath = kindFieldPath(container.name, req.kind);
  const pulled = await pull(ctx, req);
  if (pulled) return pulled;

  let options: Docker.ContainerCreateOptions;
  try {
    verifyRunAsNonRoot(pod, container, await imageUser(ctx, pod, container));
    const env = resolveEnv(req.refs, container);
    const { command, args } = expandCommand(container, env);
    const own = containerMounts(container, req.plans);
    await makeMountSources(own);
    const mounts = [...own, ...podFileMounts(req.podMounts ?? [], own)];
    options = appCreateOptions({
      nodeName: ctx.nodeName,
      pod,
      container,
      kind: req.kind,
      attempt: req.attempt,
      infraId: req.infraId,
      env,
      command,
      args,
      mounts,
      utsMode: req.utsMode,
      pidMode: req.pidMode,
    });
  } catch (error) {
    if (!(error instanceof ContainerConfigError)) throw error;
    ctx.events.record(pod, "Warning", "Failed", `Error: ${error.message}`, fieldPath);
    return {
      started: false,
      waiting: { reason: "CreateContainerConfigError", message: error.message },
      retryInMs: 2000,
    };
  }

  let created: Docker.Container;
  try {
    created = await ctx.docker.createContainer(options);
    await ctx.track(created.id);
  } catch (error) {
    const message = messageOf(error);
    ctx.events.record(pod, "Warning", "Failed", `Error: ${message}`, fieldPath);
    return { started: false, waiting: { reason: "CreateContainerError", message }, retryInMs: 5000 };
  }
  ctx.events.record(pod, "Normal", "Created", `Created container ${container.name}`, fieldPath);
  try {
    await created.start();
  } catch (error) {
    const message = messageOf(error);
    await created.remove({ force: true }).catch(() => {});
    const delay = ctx.crashBackoff.next(`${pod.metadata.uid}/${container.name}`, ctx.now());
    ctx.events.record(pod, "Warning", "Failed", `Error: ${message}`, fieldPath);
    return { started: false, waiting: { reason: "RunContainerError", message }, retryInMs: delay };
  }
  await ctx.track(created.id);
  ctx.events.record(pod, "Normal", "Started", `Started container ${container.name}`, fieldPath);
  return { started: true, id: created.id };
}

/** The CrashLoopBackOff waiting message, as upstream words it. */
export function crashLoopMessage(pod: Pod, container: string, delayMs: number): string {
  return `back-off ${goDuration(delayMs)} restarting failed container=${container} pod=${podKey(pod)}`;
}

export function backOffEventMessage(pod: Pod, container: string): string {
  return `Back-off restarting failed container ${container} in pod ${podKey(pod)}`;
}

function messageOf(error: unknown): string {
  const e = error as { json?: { message?: string; cause?: string }; message?: string };
  return e.json?.message ?? e.message ?? String(error);
}
