// The kube-api-access-<5> projected volume upstream's ServiceAccount admission plugin adds to pods
// (plugin/pkg/admission/serviceaccount TokenVolumeSource) and what the node agent writes into it.
import type { VolumeProjection } from "./pod-types.ts";

export const TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
export const TOKEN_VOLUME_PREFIX = "kube-api-access-";
/** The ConfigMap with the cluster's CA that upstream's root-ca-cert-publisher keeps in every namespace. */
export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
/** The admission plugin's token life: 1 h + 7 s, a value only it uses, so the API can recognise it. */
export const WARN_ONLY_EXPIRATION_SECONDS = 60 * 60 + 7;
/** A serviceAccountToken projection's expirationSeconds when it names none (the API's default). */
export const DEFAULT_PROJECTED_TOKEN_SECONDS = 3600;

/** TokenVolumeSource(): a bound token, the cluster CA and the pod's namespace. */
export function tokenVolumeSource(): { defaultMode: number; sources: VolumeProjection[] } {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_EXPIRATION_SECONDS, path: "token" } },
      { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: "ca.crt", path: "ca.crt" }] } },
      {
        downwardAPI: {
          items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
        },
      },
    ],
  };
}
