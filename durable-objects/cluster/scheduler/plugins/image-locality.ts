// ImageLocality: favours nodes that already hold the pod's images (status.images), weighted
// by how widely each image is spread so one node does not attract every pod.
import { MAX_NODE_SCORE, type NodeInfoView, type Plugin } from "../types.ts";

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const KEY = "ImageLocality";

export function imageScore(sum: number, containers: number): number {
  const max = MAX_CONTAINER_THRESHOLD * Math.max(containers, 1);
  const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
  return Math.floor((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
}

export const imageLocality: Plugin = {
  name: KEY,
  weight: 1,
  score: {
    preScore(state, _pod, nodes, view) {
      const total = view.nodes().length;
      state.set(KEY, total);
      return total > 0 && nodes.some((n) => n.images.size > 0);
    },
    score(state, pod, node: NodeInfoView, view) {
      if (node.images.size === 0) return 0;
      const total = state.get(KEY) as number;
      let sum = 0;
      for (const image of pod.images) {
        const size = node.images.get(image);
        if (size !== undefined) sum += size * (view.imageNodes(image) / total);
      }
      return imageScore(sum, pod.images.length);
    },
  },
};
