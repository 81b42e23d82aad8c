// Where a pod's volumes live on the host and what goes in them. Pure: the plan is data; the runtime
// writes the files and turns mounts into bind mounts. Layout under the pod's directory follows the
// kubelet's: volumes/kubernetes.io~<plugin>/<volume name>.
import { posix } from "node:path";
import type { Container, KeyToPath, Volume, VolumeProjection } from "../../kube/pod-types.ts";
import { downwardAPIFiles } from "./downward-api.ts";
import { ContainerConfigError, type PodReferences, secretValues } from "./env.ts";
import { tokenKey } from "./tokens.ts";

/** 0644, the API's default for configMap and secret volumes. */
export const DEFAULT_FILE_MODE = 0o644;

export interface VolumeFile {
  /** Relative to the volume's directory. */
  path: string;
  content: Buffer;
  mode: number;
}

export interface VolumePlan {
  name: string;
  /** The host directory (or hostPath) that is bind-mounted. */
  hostPath: string;
  /** Files written into hostPath (configMap, secret). Replaced as a whole on each write. */
  files?: VolumeFile[];
  /** configMap and secret volumes are always mounted read-only, as upstream. */
  readOnly: boolean;
  /** hostPath volumes belong to the host: never created or removed by the agent unless type asks. */
  external: boolean;
  createHostPath?: "Directory" | "File";
  /** A provisioned volume's directory: made (world-writable) on first use, never touched after. */
  provisioned?: boolean;
  /** A local volume's path: it must already exist. */
  mustExist?: boolean;
}

/** A volume that cannot be set up (upstream's FailedMount), naming it. */
export class VolumeSetupError extends ContainerConfigError {
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
  /** A subPath of a writable directory: made when missing, as the kubelet does. */
  makeSource?: boolean;
}

const PLUGIN_DIRS = {
  emptyDir: "kubernetes.io~empty-dir",
  configMap: "kubernetes.io~configmap",
  secret: "kubernetes.io~secret",
  projected: "kubernetes.io~projected",
};

/** A file's path inside its volume: relative, and never above it. */
function volumePath(path: string): string {
  const normalized = posix.normalize(path);
  if (normalized.startsWith("..") || posix.isAbsolute(normalized))
    throw new ContainerConfigError(`invalid path ${path}`);
  return normalized;
}

/** Every key, or the items' keys at their paths; a missing key fails unless the source is optional (as upstream). */
function keyFiles(values: Record<string, Buffer>, source: KeySource, defaultMode: number, what: string): VolumeFile[] {
  if (!source.items) return Object.entries(values).map(([key, content]) => ({ path: key, content, mode: defaultMode }));
  const files: VolumeFile[] = [];
  for (const item of source.items) {
    const content = values[item.key];
    if (content === undefined) {
      if (source.optional) continue;
      throw new ContainerConfigError(`${what} ${item.key}`);
    }
    files.push({ path: volumePath(item.path), content, mode: item.mode ?? defaultMode });
  }
  return files;
}

/** A config map or secret as a volume source: its own, or one source of a projected volume. */
interface KeySource {
  name?: string;
  items?: KeyToPath[];
  optional?: boolean;
}

function configMapFiles(refs: PodReferences, source: KeySource, defaultMode: number): VolumeFile[] {
  const name = source.name ?? "";
  const cm = refs.configMaps[name];
  if (!cm) {
    if (source.optional) return [];
    throw new ContainerConfigError(`configmap "${name}" not found`);
  }
  const values: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) values[k] = Buffer.from(v, "utf8");
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) values[k] = Buffer.from(v, "base64");
  return keyFiles(values, source, defaultMode, "configmap references non-existent config key:");
}

function secretFiles(refs: PodReferences, source: KeySource, defaultMode: number): VolumeFile[] {
  const name = source.name ?? "";
  const secret = refs.secrets[name];
  if (!secret) {
    if (source.optional) return [];
    throw new ContainerConfigError(`secret "${name}" not found`);
  }
  const values: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(secretValues(secret))) values[k] = Buffer.from(v, "utf8");
  return keyFiles(values, source, defaultMode, "references non-existent secret key:");
}

/** A serviceAccountToken projection's file: the pod's bound token, fetched beforehand (tokens.ts). */
function tokenFiles(refs: PodReferences, source: NonNullable<VolumeProjection["serviceAccountToken"]>, mode: number) {
  const token = refs.serviceAccountTokens?.[tokenKey(source)];
  if (token === undefined) throw new ContainerConfigError("failed to fetch token: no token for the pod yet");
  return [{ path: volumePath(source.path), content: Buffer.from(token, "utf8"), mode }];
}

/**
 * A projected volume's files: each source's, in order, a later one replacing an earlier one's file at the
 * same path (the kubelet's projected plugin collects them into one payload the same way).
 */
function projectedFiles(refs: PodReferences, volume: Volume): VolumeFile[] {
  const projected = volume.projected!;
  const mode = projected.defaultMode ?? DEFAULT_FILE_MODE;
  const byPath = new Map<string, VolumeFile>();
  for (const source of projected.sources ?? []) {
    const files = source.secret
      ? secretFiles(refs, source.secret, mode)
      : source.configMap
        ? configMapFiles(refs, source.configMap, mode)
        : source.downwardAPI
          ? downwardAPIFiles(refs, source.downwardAPI.items ?? [], mode).map((f) => ({
              ...f,
              path: volumePath(f.path),
            }))
          : source.serviceAccountToken
            ? tokenFiles(refs, source.serviceAccountToken, mode)
            : [];
    for (const file of files) byPath.set(file.path, file);
  }
  return [...byPath.values()];
}

/** hostPath's creating types: the agent makes the directory or file when it is missing. */
function hostPathCreates(type: string | undefined): VolumePlan["createHostPath"] {
  return type === "DirectoryOrCreate" ? "Directory" : type === "FileOrCreate" ? "File" : undefined;
}

/** A claim's volume: the bound volume's directory on this node, as the cluster sent it. */
function claimPlan(refs: PodReferences, volume: Volume): VolumePlan {
  const found = refs.claims?.[volume.name];
  const readOnly = volume.persistentVolumeClaim?.readOnly === true;
  if (!found) {
    const claim = volume.persistentVolumeClaim?.claimName ?? `${refs.pod.metadata.name}-${volume.name}`;
    throw new VolumeSetupError(
      volume.name,
      `error processing PVC ${refs.pod.metadata.namespace ?? "default"}/${claim}: PVC is not bound`,
    );
  }
  if (found.unsupported) throw new VolumeSetupError(volume.name, found.unsupported);
  const plan = { name: volume.name, hostPath: found.path, readOnly, external: true };
  if (found.provisioned) return { ...plan, provisioned: true };
  if (found.hostPathType !== undefined) return { ...plan, createHostPath: hostPathCreates(found.hostPathType) };
  return { ...plan, mustExist: true };
}

/** One volume's plan. Throws ContainerConfigError (upstream's FailedMount) for a missing source. */
export function planVolume(refs: PodReferences, podDir: string, volume: Volume): VolumePlan {
  const dir = (plugin: keyof typeof PLUGIN_DIRS) => posix.join(podDir, "volumes", PLUGIN_DIRS[plugin], volume.name);
  const secretMode = volume.secret?.defaultMode ?? DEFAULT_FILE_MODE;
  if (volume.persistentVolumeClaim || volume.ephemeral) return claimPlan(refs, volume);
  if (volume.hostPath)
    return {
      name: volume.name,
      hostPath: volume.hostPath.path,
      readOnly: false,
      external: true,
      createHostPath: hostPathCreates(volume.hostPath.type),
    };
  if (volume.configMap)
    return {
      name: volume.name,
      hostPath: dir("configMap"),
      files: configMapFiles(refs, volume.configMap, volume.configMap.defaultMode ?? DEFAULT_FILE_MODE),
      readOnly: true,
      external: false,
    };
  if (volume.secret)
    return {
      name: volume.name,
      hostPath: dir("secret"),
      files: secretFiles(refs, { ...volume.secret, name: volume.secret.secretName }, secretMode),
      readOnly: true,
      external: false,
    };
  if (volume.projected)
    return {
      name: volume.name,
      hostPath: dir("projected"),
      files: projectedFiles(refs, volume),
      readOnly: true,
      external: false,
    };
  // emptyDir, and any volume type the agent does not support yet, is an empty directory shared by the pod.
  return { name: volume.name, hostPath: dir("emptyDir"), readOnly: false, external: false };
}

export function planVolumes(refs: PodReferences, podDir: string): VolumePlan[] {
  return (refs.pod.spec.volumes ?? []).map((v) => planVolume(refs, podDir, v));
}

/** The bind mounts of one container. Throws for a mount of an undeclared volume. */
export function containerMounts(container: Container, plans: VolumePlan[]): BindMount[] {
  return (container.volumeMounts ?? []).map((mount) => {
    const plan = plans.find((p) => p.name === mount.name);
    if (!plan)
      throw new ContainerConfigError(`cannot find volume "${mount.name}" to mount into container "${container.name}"`);
    const source = mount.subPath ? posix.join(plan.hostPath, posix.normalize(mount.subPath)) : plan.hostPath;
    if (mount.subPath && (posix.normalize(mount.subPath).startsWith("..") || posix.isAbsolute(mount.subPath)))
      throw new ContainerConfigError(`invalid subPath ${JSON.stringify(mount.subPath)}`);
    const readOnly = plan.readOnly || mount.readOnly === true;
    const makeSource = Boolean(mount.subPath) && !plan.files && plan.createHostPath !== "File";
    return { source, target: mount.mountPath, readOnly, ...(makeSource ? { makeSource } : {}) };
  });
}
