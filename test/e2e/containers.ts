// The containers agents run on the Podman (or Docker) API, for end-to-end tests that check what really
// runs: listing a node's containers by the agent's labels, and removing them afterwards.
import type Docker from "dockerode";
import { connectDocker, findDockerHost } from "../../agent/runtime/docker/connect.ts";
import { LABEL_CONTAINER_NAME, LABEL_NODE, LABEL_POD_NAME, removalRank } from "../../agent/runtime/docker/labels.ts";
import { removeNodeNetworks } from "../../agent/services/host-cleanup.ts";
export { podmanGate } from "../../agent/runtime/docker/testing/harness.ts";

export interface RunningContainer {
  id: string;
  pod: string;
  container: string;
  state: string;
}

function docker(): Docker {
  const host = findDockerHost();
  if (!host) throw new Error("no Docker or Podman API (set DOCKER_HOST)");
  return connectDocker(host);
}

/** Every container (running or not) an agent created for `node`, sorted by pod, container and id. */
export async function nodeContainers(node: string): Promise<RunningContainer[]> {
  const list = await docker().listContainers({ all: true, filters: { label: [`${LABEL_NODE}=${node}`] } });
  return list
    .map((c) => ({
      id: c.Id,
      pod: c.Labels[LABEL_POD_NAME] ?? "",
      container: c.Labels[LABEL_CONTAINER_NAME] ?? "",
      state: c.State,
    }))
    .sort((a, b) => `${a.pod}/${a.container}/${a.id}`.localeCompare(`${b.pod}/${b.container}/${b.id}`));
}

/**
 * Removes every container of the given nodes (tests clean up after their agents): a pod's infra container
 * last, since Podman refuses to remove it while the pod's other containers share its namespaces.
 */
export async function removeNodeContainers(nodes: string[]): Promise<void> {
  const d = docker();
  const remove = (c: Docker.ContainerInfo) =>
    d
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => {});
  for (const node of nodes) {
    const list = await d.listContainers({ all: true, filters: { label: [`${LABEL_NODE}=${node}`] } });
    // Those others join go after them (debug containers first, infra last).
    for (const rank of [0, 1, 2]) await Promise.all(list.filter((c) => removalRank(c.Labels) === rank).map(remove));
  }
  await removeNodeNetworks(d, nodes);
}
