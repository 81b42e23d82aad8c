// The downward API as files (a downwardAPI source of a projected volume): the kubelet's
// downwardapi.CollectData — one file per item, pod fields through fieldRef, a container's
// resources through resourceFieldRef.
import type { DownwardAPIVolumeFile } from "../../kube/pod-types.ts";
import { ContainerConfigError, fieldRefValue, findContainer, type PodReferences, resourceFieldValue } from "./env.ts";

export interface DownwardFile {
  /** As the item wrote it; the volume checks and normalizes it. */
  path: string;
  content: Buffer;
  mode: number;
}

/** Upstream's fieldpath.FormatMap: `key="value"` lines in key order; values quoted as Go's %q does for printable text. */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${JSON.stringify(map![key])}`)
    .join("\n");
}

function itemValue(refs: PodReferences, item: DownwardAPIVolumeFile): string {
  if (item.fieldRef) {
    const { fieldPath } = item.fieldRef;
    if (fieldPath === "metadata.labels") return formatMap(refs.pod.metadata.labels);
    if (fieldPath === "metadata.annotations") return formatMap(refs.pod.metadata.annotations);
    return fieldRefValue(refs, fieldPath);
  }
  if (item.resourceFieldRef) {
    const { containerName = "", resource, divisor } = item.resourceFieldRef;
    const container = findContainer(refs.pod, containerName);
    if (!container) throw new ContainerConfigError(`cannot find container "${containerName}" for ${item.path}`);
    return resourceFieldValue(refs, container, resource, divisor);
  }
  throw new ContainerConfigError(`downward API item ${item.path} has neither fieldRef nor resourceFieldRef`);
}

export function downwardAPIFiles(
  refs: PodReferences,
  items: readonly DownwardAPIVolumeFile[],
  defaultMode: number,
): DownwardFile[] {
  return items.map((item) => ({
    path: item.path,
    content: Buffer.from(itemValue(refs, item), "utf8"),
    mode: item.mode ?? defaultMode,
  }));
}
