// The controllers a cluster runs, and the glue between the runner and the Durable Object's
// one alarm, which it shares with the idle-expiry deadline: armed for whichever comes first.
import { ClusterRoleAggregationController } from "./clusterrole-aggregation.ts";
import { ResourceQuotaController } from "./resourcequota.ts";
import type { ApiContext } from "../context.ts";
import { CronJobController } from "./cronjob.ts";
import { CrdController } from "./crd.ts";
import { DaemonSetController } from "./daemonset.ts";
import { DeploymentController } from "./deployment.ts";
import { DisruptionController } from "./disruption.ts";
import { EndpointsController } from "./endpoints.ts";
import { EndpointSliceController } from "./endpointslice.ts";
import { EdgeLoadBalancerController, type EdgeNames } from "./edge-load-balancer.ts";
import { EphemeralVolumeController } from "./ephemeral-volume.ts";
import { GatewayController } from "./gateway.ts";
import { HorizontalPodAutoscalerController } from "./hpa.ts";
import { JobController } from "./job.ts";
import { NodeIpamController } from "./node-ipam.ts";
import { type NodeHeartbeats, NodeLifecycleController } from "./node-lifecycle.ts";
import { PodGCController } from "./podgc.ts";
import { PersistentVolumeController } from "./pv-controller.ts";
import { PvProtectionController } from "./pv-protection.ts";
import { PvcProtectionController } from "./pvc-protection.ts";
import { REPLICATION_CONTROLLERS, ReplicaSetController } from "./replicaset.ts";
import { ServiceAccountController } from "./serviceaccounts.ts";
import { ServiceAccountTokensController } from "./serviceaccount-tokens.ts";
import { RootCAPublisher } from "./root-ca-publisher.ts";
import { type Alarm, Runner } from "./runner.ts";
import { StatefulSetController } from "./statefulset.ts";
import { TaintEvictionController } from "./taint-eviction.ts";
import { TtlAfterFinishedController } from "./ttl-after-finished.ts";
import { VolumeExpansionController } from "./volume-expansion.ts";
import type { Controller } from "./types.ts";

/**
 * `rootCA`: the cluster CA's certificate, published in every namespace (absent in tests without a CA);
 * `edge`: the cluster's host names at the edge (absent where the deployment has no domain for them).
 */
export function controllersFor(
  ctx: ApiContext,
  heartbeats?: NodeHeartbeats,
  rootCA?: () => string | undefined,
  edge?: EdgeNames,
): Controller[] {
  return [
    new DeploymentController(ctx),
    new ReplicaSetController(ctx),
    new ReplicaSetController(ctx, REPLICATION_CONTROLLERS),
    new DaemonSetController(ctx),
    new StatefulSetController(ctx),
    new EndpointsController(ctx),
    new EndpointSliceController(ctx),
    new HorizontalPodAutoscalerController(ctx),
    new JobController(ctx),
    new CronJobController(ctx),
    new TtlAfterFinishedController(ctx),
    ...(heartbeats ? [new NodeLifecycleController(ctx, heartbeats)] : []),
    new NodeIpamController(ctx),
    new TaintEvictionController(ctx),
    new DisruptionController(ctx),
    new PodGCController(ctx),
    new ServiceAccountController(ctx),
    new ServiceAccountTokensController(ctx),
    new ClusterRoleAggregationController(ctx),
    new ResourceQuotaController(ctx),
    ...(rootCA ? [new RootCAPublisher(ctx, rootCA)] : []),
    new PersistentVolumeController(ctx),
    new PvcProtectionController(ctx),
    new PvProtectionController(ctx),
    new EphemeralVolumeController(ctx),
    new VolumeExpansionController(ctx),
    new CrdController(ctx),
    ...(edge ? [new EdgeLoadBalancerController(ctx, edge)] : []),
    new GatewayController(ctx, edge),
  ];
}

/** The Durable Object alarm for the runner's due work and another deadline, whichever is first. */
export class ObjectAlarm implements Alarm {
  #storage: DurableObjectStorage;
  #deadline: () => number | null | undefined;
  #due: number | null = null;
  #set: number | null | undefined;

  constructor(storage: DurableObjectStorage, deadline: () => number | null | undefined) {
    this.#storage = storage;
    this.#deadline = deadline;
  }

  arm(at: number | null): void {
    this.#due = at;
    this.sync();
  }

  /** Re-arms for the earlier of the runner's due time and the deadline; disarms when neither. */
  sync(): void {
    const deadline = this.#deadline() ?? null;
    const at = this.#due === null ? deadline : deadline === null ? this.#due : Math.min(this.#due, deadline);
    if (at === this.#set) return;
    this.#set = at;
    const done = at === null ? this.#storage.deleteAlarm() : this.#storage.setAlarm(at);
    done.catch((e: unknown) => console.error(`alarm: ${(e as Error).message}`));
  }

  /**
   * The alarm fired: whatever was set is spent, the runner's due time too — its tick arms again only if
   * work is left, and a stale due time in the past would otherwise re-fire the alarm at once, forever.
   */
  fired(): void {
    this.#set = undefined;
    this.#due = null;
  }
}

/** Builds the runner (with the node lifecycle controller when given the node agents), follows the store, and queues every owner object once (queues do not survive eviction). */
export function startControllers(
  ctx: ApiContext,
  alarm: ObjectAlarm,
  heartbeats?: NodeHeartbeats,
  rootCA?: () => string | undefined,
  edge?: EdgeNames,
): Runner {
  const runner = new Runner(controllersFor(ctx, heartbeats, rootCA, edge), { now: () => ctx.now(), alarm });
  runner.follow((listener) => ctx.store.onChange(listener));
  runner.start();
  return runner;
}
