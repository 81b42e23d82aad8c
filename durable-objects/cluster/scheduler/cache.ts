// The scheduler's cache: every node with its assigned pods and running totals, kept current
// from store changes one object at a time, plus the indexes plugins ask for (pods per owner
// and node, pods with affinity terms, namespace labels, image spread).
import type { KubeObject } from "../../../kube/types.ts";
import { NodeInfo } from "./node-info.ts";
import { hasPodAffinity, requiredAntiAffinity } from "./pod-affinity-terms.ts";
import type { ClusterView, PodInfo, StorageView } from "./types.ts";
import { NO_STORAGE } from "./storage-view.ts";

/** Whether a pod holds resources on its node: bound, not terminating, not finished. */
export function occupiesNode(pod: KubeObject): boolean {
  if (!pod.spec?.nodeName || pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed";
}

export class SchedulerCache implements ClusterView {
  /** Node infos by name; an info without a node holds pods bound to a node not (yet) known. */
  #infos = new Map<string, NodeInfo>();
  #list: NodeInfo[] | null = null;
  #pods = new Map<string, PodInfo>();
  #owners = new Map<string, Map<string, number>>();
  #anti = new Map<string, PodInfo>();
  #affinity = new Map<string, PodInfo>();
  #namespaces = new Map<string, Record<string, string>>();
  #images = new Map<string, number>();
  /** Read from the store directly (claims and volumes change rarely and are looked up by name). */
  storage: StorageView = NO_STORAGE;

  nodes(): readonly NodeInfo[] {
    if (!this.#list)
      this.#list = [...this.#infos.values()].filter((n) => n.node).sort((a, b) => (a.name < b.name ? -1 : 1));
    return this.#list;
  }

  node(name: string): NodeInfo | undefined {
    const info = this.#infos.get(name);
    return info?.node ? info : undefined;
  }

  #info(name: string): NodeInfo {
    let info = this.#infos.get(name);
    if (!info) {
      info = new NodeInfo(name);
      this.#infos.set(name, info);
    }
    return info;
  }

  setNode(node: KubeObject): void {
    const info = this.#info(node.metadata.name!);
    if (!info.node) this.#list = null;
    this.#countImages(info, -1);
    info.setNode(node);
    this.#countImages(info, 1);
  }

  removeNode(name: string): void {
    const info = this.#infos.get(name);
    if (!info) return;
    this.#countImages(info, -1);
    info.setNode(undefined);
    if (info.pods.size === 0) this.#infos.delete(name);
    this.#list = null;
  }

  #countImages(info: NodeInfo, by: number): void {
    for (const image of info.images.keys()) {
      const n = (this.#images.get(image) ?? 0) + by;
      if (n > 0) this.#images.set(image, n);
      else this.#images.delete(image);
    }
  }

  /** Records an assigned pod (replacing its previous version). */
  addPod(pod: PodInfo): void {
    this.removePod(pod.key);
    this.#pods.set(pod.key, pod);
    this.#info(pod.nodeName).addPod(pod);
    if (pod.ownerUid) {
      let perNode = this.#owners.get(pod.ownerUid);
      if (!perNode) {
        perNode = new Map();
        this.#owners.set(pod.ownerUid, perNode);
      }
      perNode.set(pod.nodeName, (perNode.get(pod.nodeName) ?? 0) + 1);
    }
    if (requiredAntiAffinity(pod)?.length) this.#anti.set(pod.key, pod);
    if (hasPodAffinity(pod)) this.#affinity.set(pod.key, pod);
  }

  removePod(key: string): PodInfo | undefined {
    const pod = this.#pods.get(key);
    if (!pod) return undefined;
    this.#pods.delete(key);
    const info = this.#infos.get(pod.nodeName);
    info?.removePod(key);
    if (info && !info.node && info.pods.size === 0) this.#infos.delete(pod.nodeName);
    const perNode = this.#owners.get(pod.ownerUid);
    if (perNode) {
      const n = (perNode.get(pod.nodeName) ?? 0) - 1;
      if (n > 0) perNode.set(pod.nodeName, n);
      else perNode.delete(pod.nodeName);
      if (perNode.size === 0) this.#owners.delete(pod.ownerUid);
    }
    this.#anti.delete(key);
    this.#affinity.delete(key);
    return pod;
  }

  assignedPod(key: string): PodInfo | undefined {
    return this.#pods.get(key);
  }

  setNamespace(name: string, labels: Record<string, string> | undefined): void {
    if (labels) this.#namespaces.set(name, labels);
    else this.#namespaces.delete(name);
  }

  ownerCounts(ownerUid: string): ReadonlyMap<string, number> | undefined {
    return this.#owners.get(ownerUid);
  }
  podsWithRequiredAntiAffinity(): Iterable<PodInfo> {
    return this.#anti.values();
  }
  podsWithAffinity(): Iterable<PodInfo> {
    return this.#affinity.values();
  }
  namespaceLabels(namespace: string): Record<string, string> | undefined {
    return this.#namespaces.get(namespace);
  }
  imageNodes(image: string): number {
    return this.#images.get(image) ?? 0;
  }
}
