// Upstream's ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount) for new pods: the
// ServiceAccount (default "default") must exist, and unless the pod or its ServiceAccount opts out
// (automountServiceAccountToken: false) every container and init container mounts a kube-api-access-<5>
// projected volume — a bound token, the cluster CA from ConfigMap kube-root-ca.crt, and the namespace —
// read-only at /var/run/secrets/kubernetes.io/serviceaccount, with the ServiceAccount's imagePullSecrets
// when the pod names none.
import { randomSuffix } from "../../../kube/generate-name.ts";
import type { Container, PodSpec } from "../../../kube/pod-types.ts";
import { TOKEN_MOUNT_PATH, TOKEN_VOLUME_PREFIX, tokenVolumeSource } from "../../../kube/service-account-volume.ts";
import { forbidden } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { DEFAULT_SERVICE_ACCOUNT } from "../controllers/serviceaccount-plan.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { ApiContext } from "../context.ts";

const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

/** shouldAutomount: the pod's own setting wins over its ServiceAccount's; both absent means yes. */
function shouldAutomount(serviceAccount: KubeObject, spec: PodSpec): boolean {
  if (typeof spec.automountServiceAccountToken === "boolean") return spec.automountServiceAccountToken;
  return serviceAccount.automountServiceAccountToken !== false;
}

// The spec is the client's, not yet validated (validation runs after admission): shapes are checked here.
function mountToken(spec: PodSpec): void {
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  const existing = volumes.find((v) => typeof v?.name === "string" && v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const name: string = existing?.name ?? TOKEN_VOLUME_PREFIX + randomSuffix();
  let needed = false;
  const mount = (containers: Container[]): Container[] => {
    if (!Array.isArray(containers)) return containers;
    // New container objects, not changed ones: a caller may share them (a template) with other pods.
    return containers.map((container) => {
      if (typeof container !== "object" || container === null) return container;
      const mounts = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
      // A mount of its own at the path keeps the container's choice.
      if (mounts.some((m) => m?.mountPath === TOKEN_MOUNT_PATH)) return container;
      needed = true;
      return { ...container, volumeMounts: [...mounts, { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }] };
    });
  };
  if (spec.initContainers) spec.initContainers = mount(spec.initContainers);
  if (spec.containers) spec.containers = mount(spec.containers);
  if (needed && !existing) spec.volumes = [...volumes, { name, projected: tokenVolumeSource() }];
}

export function admitServiceAccount(ctx: ApiContext, kind: ResourceKind, pod: KubeObject): void {
  if (resourceId(kind) !== "pods" || typeof pod.spec !== "object" || pod.spec === null) return;
  // Mirror pods are the kubelet's: their spec is never changed.
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
  const spec = pod.spec as PodSpec;
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
  const namespace = pod.metadata.namespace ?? "";
  const name = String(spec.serviceAccountName);
  const serviceAccount = ctx.store.get("serviceaccounts", namespace, name)?.object;
  if (!serviceAccount)
    throw forbidden(
      `pods "${pod.metadata.name ?? ""}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
      { name: pod.metadata.name, kind: "pods" },
    );
  if (shouldAutomount(serviceAccount, spec)) mountToken(spec);
  const pullSecrets = serviceAccount.imagePullSecrets;
  if ((!Array.isArray(spec.imagePullSecrets) || spec.imagePullSecrets.length === 0) && Array.isArray(pullSecrets))
    if (pullSecrets.length > 0) spec.imagePullSecrets = structuredClone(pullSecrets);
}
