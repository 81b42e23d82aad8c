// NodeName: a pod that names its node fits only there.
import { type Plugin, unresolvable } from "../types.ts";

export const nodeName: Plugin = {
  name: "NodeName",
  filter: {
    preFilter: (_state, pod) => pod.nodeName !== "",
    filter(_state, pod, node) {
      if (!pod.nodeName || pod.nodeName === node.name) return null;
      return unresolvable("node(s) didn't match the requested node name");
    },
  },
};
