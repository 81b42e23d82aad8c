// Image pulls honouring imagePullPolicy. A failed pull surfaces as ErrImagePull, then ImagePullBackOff while
// the back-off lasts. Podman answers a failed pull with 200 and an `error` field in the progress stream, so
// the stream is read to its end and checked, not only the status code.
import type Docker from "dockerode";
import type { Container, PullPolicy } from "../../../kube/pod-types.ts";

/** The API server's default: Always for :latest or untagged images, IfNotPresent otherwise. */
export function pullPolicyOf(container: Container): PullPolicy {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = container.image ?? "";
  if (image.includes("@")) return "IfNotPresent";
  const lastPart = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastPart.includes(":") ? lastPart.slice(lastPart.indexOf(":") + 1) : "latest";
  return tag === "latest" ? "Always" : "IfNotPresent";
}

/** Docker Hub short names, as Docker normalises them ("busybox" → "docker.io/library/busybox:latest"). */
export function normalizeImage(image: string): string {
  let name = image;
  const firstPart = name.split("/")[0];
  const hasRegistry =
    name.includes("/") && (firstPart.includes(".") || firstPart.includes(":") || firstPart === "localhost");
  if (!hasRegistry) name = name.includes("/") ? `docker.io/${name}` : `docker.io/library/${name}`;
  const lastPart = name.slice(name.lastIndexOf("/") + 1);
  if (!lastPart.includes(":") && !lastPart.includes("@")) name += ":latest";
  return name;
}

export class PullError extends Error {}

export async function imagePresent(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/**
 * Pulls an image to the end of its progress stream; throws PullError with the runtime's message, or
 * PullAborted when `signal` ends it first (the pod was deleted: a pull that hangs must not hold up teardown).
 */
export async function pullImage(docker: Docker, image: string, signal?: AbortSignal): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    if (signal?.aborted) throw new PullAborted(image);
    stream = await docker.pull(image, signal ? { abortSignal: signal } : {});
  } catch (error) {
    if (signal?.aborted) throw new PullAborted(image);
    throw new PullError(messageOf(error));
  }
  const events: { error?: string; errorDetail?: { message?: string } }[] = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err, output) =>
      err ? reject(signal?.aborted ? new PullAborted(image) : new PullError(messageOf(err))) : resolve(output ?? []),
    ),
  );
  if (signal?.aborted) throw new PullAborted(image);
  const failed = events.find((e) => e.error || e.errorDetail);
  if (failed) throw new PullError(failed.errorDetail?.message ?? failed.error ?? "pull failed");
}

/** A pull given up because its pod is going away; not a failure to report. */
export class PullAborted extends Error {
  constructor(image: string) {
    super(`pull of "${image}" abandoned: the pod is being deleted`);
  }
}

function messageOf(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string };
  return e.json?.message ?? e.message ?? String(error);
}

export type EnsureResult = { pulled: false } | { pulled: true; ms: number };

/**
 * Makes the container's image present as its pull policy says. Throws PullError for a failed pull and
 * for Never with the image missing (upstream's ErrImageNeverPull).
 */
export async function ensureImage(
  docker: Docker,
  container: Container,
  onPull = () => {},
  signal?: AbortSignal,
): Promise<EnsureResult> {
  const image = container.image ?? "";
  const policy = pullPolicyOf(container);
  if (policy !== "Always" && (await imagePresent(docker, image))) return { pulled: false };
  if (policy === "Never")
    throw new NeverPullError(`Container image "${image}" is not present with pull policy of Never`);
  onPull();
  const start = Date.now();
  await pullImage(docker, image, signal);
  return { pulled: true, ms: Date.now() - start };
}

export class NeverPullError extends PullError {}
