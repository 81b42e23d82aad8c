// The root CA certificate publisher (upstream pkg/controller/certificates/rootcacertpublisher): ConfigMap
// `kube-root-ca.crt` in every active namespace holds the cluster CA's certificate as `ca.crt`, with upstream's
// description annotation; an edited or deleted one is put back. Pods trust the in-cluster API endpoint with it.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const ROOT_CA_PUBLISHER = "root-ca-cert-publisher";
export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
const DESCRIPTION_ANNOTATION = "kubernetes.io/description";
const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
  "No other usage is guaranteed across distributions of Kubernetes clusters.";

export class RootCAPublisher implements Controller {
  readonly name = ROOT_CA_PUBLISHER;
  #w: Writer;
  #ca: () => string | undefined;

  /** `ca`: the cluster CA's certificate (PEM), made when the object starts. */
  constructor(ctx: ApiContext, ca: () => string | undefined) {
    this.#w = new Writer(ctx, ROOT_CA_PUBLISHER);
    this.#ca = ca;
  }

  /** Keys are namespace names: a namespace that came or changed, or its ConfigMap edited or deleted. */
  keysFor(change: Change): string[] {
    const { resource, object } = change.entry;
    if (resource === "namespaces") return change.type === "DELETED" ? [] : [object.metadata.name!];
    if (resource === "configmaps" && object.metadata.name === ROOT_CA_CONFIGMAP && change.type !== "ADDED")
      return [object.metadata.namespace ?? ""];
    return [];
  }

  /** Only namespaces with work to do: an object waking up with everything in place arms no alarm. */
  initialKeys(): string[] {
    return this.#w.ctx.store
      .list("namespaces")
      .map((e) => e.object.metadata.name!)
      .filter((ns) => this.#plan(ns) !== undefined);
  }

  reconcile(namespace: string): ReconcileResult | undefined {
    const plan = this.#plan(namespace);
    if (plan?.create) this.#w.create("configmaps", plan.create);
    else if (plan?.update) this.#w.update("configmaps", plan.update.current, plan.update.next);
    return undefined;
  }

  /** What the namespace's ConfigMap needs: nothing (undefined), to be made, or to be set right. */
  #plan(namespace: string): { create?: KubeObject; update?: { current: KubeObject; next: KubeObject } } | undefined {
    const ca = this.#ca();
    const ns = this.#w.ctx.store.get("namespaces", undefined, namespace)?.object;
    // Upstream creates nothing in a namespace that is gone or terminating.
    if (!ca || !ns || ns.metadata.deletionTimestamp || ns.status?.phase === "Terminating") return undefined;
    const data = { "ca.crt": ca };
    const current = this.#w.ctx.store.get("configmaps", namespace, ROOT_CA_CONFIGMAP)?.object;
    if (!current) {
      return {
        create: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data,
        },
      };
    }
    const annotations = current.metadata.annotations ?? {};
    if (sameData(current, data) && annotations[DESCRIPTION_ANNOTATION]) return undefined;
    const next: KubeObject = {
      ...structuredClone(current),
      data,
      metadata: {
        ...structuredClone(current.metadata),
        annotations: { ...annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION },
      },
    };
    return { update: { current, next } };
  }
}

/**
 * Publishes the CA in every namespace at once, as the object starts (before its controllers and limits are
 * attached, like the system namespaces): a new cluster has its ConfigMaps from its first request on.
 */
export function publishRootCA(ctx: ApiContext, ca: string): void {
  const publisher = new RootCAPublisher(ctx, () => ca);
  for (const ns of publisher.initialKeys()) publisher.reconcile(ns);
}

/** Upstream compares `data` only (binaryData is left as it is). */
function sameData(cm: KubeObject, data: Record<string, string>): boolean {
  const have = (cm.data ?? {}) as Record<string, string>;
  return Object.keys(have).length === 1 && have["ca.crt"] === data["ca.crt"];
}
