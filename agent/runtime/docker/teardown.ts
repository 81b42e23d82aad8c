// Stopping a pod: app and init containers get SIGTERM and, after the grace period, SIGKILL (docker stop
// with t = grace, in parallel); then the infra container goes and the pod's directory is removed.
import type Docker from "dockerode";
import type { Pod } from "../../../kube/pod-types.ts";
import { containerFieldPath } from "../events.ts";
import type { WorkerContext } from "./context.ts";
import { identityOf, removalRank } from "./labels.ts";
import type { PodInstances } from "./instances.ts";
import { removeDir } from "./volumes-fs.ts";

export async function teardownPod(
  ctx: WorkerContext,
  pod: Pod,
  instances: PodInstances,
  graceSeconds: number,
): Promise<void> {
  const running = instances.all.filter((info) => info.State.Running && info.Id !== instances.infra?.Id);
  await Promise.all(
    running.map((info) => {
      const id = identityOf(info.Config.Labels, ctx.nodeName);
      const name = id?.containerName ?? info.Name;
      ctx.events.record(
        pod,
        "Normal",
        "Killing",
        `Stopping container ${name}`,
        containerFieldPath(name, id?.kind === "init"),
      );
      return ctx.docker
        .getContainer(info.Id)
        .stop({ t: graceSeconds })
        .catch(() => {});
    }),
  );
  if (instances.infra?.State.Running)
    await ctx.docker
      .getContainer(instances.infra.Id)
      .kill()
      .catch(() => {});
  await removeDir(`${ctx.podsDir}/${pod.metadata.uid}`);
}

/** Removes a pod's containers, those joined by others after them (removalRank). */
export async function removeAll(ctx: WorkerContext, infos: Docker.ContainerInspectInfo[]): Promise<void> {
  const rank = (info: Docker.ContainerInspectInfo) => removalRank(info.Config.Labels);
  for (const info of [...infos].sort((a, b) => rank(a) - rank(b)))
    await ctx.docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .catch(() => {});
}
