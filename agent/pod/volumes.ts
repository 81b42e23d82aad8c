// Where a pod's volumes live on the host and what goes in them. Pure: the plan is data; the runtime
// writes the files and turns mounts into bind mounts. Layout under the pod's directory follows the
// kubelet's: volumes/kubernetes.io~<plugin>/<volume name>.
import { posix } from "node:path";
import type { Container, KeyToPath, Volume } from "../../kube/pod-types.ts";
import { ContainerConfigError, type PodReferences, secretValues } from "./env.ts";

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
}

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

const PLUGIN_DIRS = {
  emptyDir: "kubernetes.io~empty-dir",
  configMap: "kubernetes.io~configmap",
  secret: "kubernetes.io~secret",
};

function keyFiles(values: Record<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, what: string) {
  if (!items) return Object.entries(values).map(([key, content]) => ({ path: key, content, mode: defaultMode }));
  return items.map((item) => {
    const content = values[item.key];
    if (content === undefined) throw new ContainerConfigError(`${what} ${item.key}`);
    const path = posix.normalize(item.path);
    if (path.startsWith("..") || posix.isAbsolute(path)) throw new ContainerConfigError(`invalid path ${item.path}`);
    return { path, content, mode: item.mode ?? defaultMode };
  });
}

function configMapFiles(refs: PodReferences, volume: Volume): VolumeFile[] {
  const source = volume.configMap!;
  const name = source.name ?? "";
  const cm = refs.configMaps[name];
  if (!cm) {
    if (source.optional) return [];
    throw new ContainerConfigError(`configmap "${name}" not found`);
  }
  const values: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) values[k] = Buffer.from(v, "utf8");
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) values[k] = Buffer.from(v, "base64");
  return keyFiles(
    values,
    source.items,
    source.defaultMode ?? DEFAULT_FILE_MODE,
    "configmap references non-existent config key:",
  );
}

function secretFiles(refs: PodReferences, volume: Volume): VolumeFile[] {
  const source = volume.secret!;
  const name = source.secretName ?? "";
  const secret = refs.secrets[name];
  if (!secret) {
    if (source.optional) return [];
    throw new ContainerConfigError(`secret "${name}" not found`);
  }
  const values: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(secretValues(secret))) values[k] = Buffer.from(v, "utf8");
  return keyFiles(values, source.items, source.defaultMode ?? DEFAULT_FILE_MODE, "references non-existent secret key:");
}

/** One volume's plan. Throws ContainerConfigError (upstream's FailedMount) for a missing source. */
export function planVolume(refs: PodReferences, podDir: string, volume: Volume): VolumePlan {
  const dir = (plugin: keyof typeof PLUGIN_DIRS) => posix.join(podDir, "volumes", PLUGIN_DIRS[plugin], volume.name);
  if (volume.hostPath) {
    const type = volume.hostPath.type;
    const create = type === "DirectoryOrCreate" ? "Directory" : type === "FileOrCreate" ? "File" : undefined;
    return {
      name: volume.name,
      hostPath: volume.hostPath.path,
      readOnly: false,
      external: true,
      createHostPath: create,
    };
  }
  if (volume.configMap)
    return {
      name: volume.name,
      hostPath: dir("configMap"),
      files: configMapFiles(refs, volume),
      readOnly: true,
      external: false,
    };
  if (volume.secret)
    return {
      name: volume.name,
      hostPath: dir("secret"),
      files: secretFiles(refs, volume),
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
    return { source, target: mount.mountPath, readOnly: plan.readOnly || mount.readOnly === true };
  });
}
