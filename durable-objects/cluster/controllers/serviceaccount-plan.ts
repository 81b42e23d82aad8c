// Pure decisions of the serviceaccount and tokens controllers (upstream pkg/controller/serviceaccount):
// which namespaces lack their "default" ServiceAccount, and what a kubernetes.io/service-account-token
// Secret needs — deleting when its ServiceAccount is gone, filling token, ca.crt and namespace otherwise.
import type { KubeObject } from "../../../kube/types.ts";
import { base64Encode } from "../registry/secrets.ts";

export const DEFAULT_SERVICE_ACCOUNT = "default";
export const TOKEN_SECRET_TYPE = "kubernetes.io/service-account-token";
export const SA_NAME_ANNOTATION = "kubernetes.io/service-account.name";
export const SA_UID_ANNOTATION = "kubernetes.io/service-account.uid";
export const ROOT_CA_KEY = "ca.crt";

/** The namespace should have a "default" ServiceAccount and has none (a terminating one gets none). */
export function needsDefaultServiceAccount(
  namespace: KubeObject | undefined,
  existing: KubeObject | undefined,
): boolean {
  if (!namespace || existing) return false;
  return !namespace.metadata.deletionTimestamp && namespace.status?.phase !== "Terminating";
}

export function defaultServiceAccount(namespace: string): KubeObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } };
}

export const isTokenSecret = (o: KubeObject) => o.type === TOKEN_SECRET_TYPE;

/** IsServiceAccountToken: the Secret names the account, and its uid when it carries one. */
export function tokenSecretOf(secret: KubeObject, serviceAccount: KubeObject | undefined): boolean {
  const annotations = secret.metadata.annotations ?? {};
  if (!serviceAccount || annotations[SA_NAME_ANNOTATION] !== serviceAccount.metadata.name) return false;
  const uid = annotations[SA_UID_ANNOTATION];
  return !uid || uid === serviceAccount.metadata.uid;
}

export type TokenSecretPlan =
  | { action: "none" }
  | { action: "delete" }
  /** `next` is the Secret to write; with needsToken its `data.token` is the caller's to fill. */
  | { action: "fill"; next: KubeObject; needsToken: boolean };

/**
 * syncSecret: a token Secret of a missing ServiceAccount (or one recreated with another uid) is deleted;
 * otherwise ca.crt (when the cluster publishes one), namespace and token are filled when missing or stale,
 * and both annotations set.
 */
export function planTokenSecret(
  secret: KubeObject,
  serviceAccount: KubeObject | undefined,
  rootCA: string | undefined,
): TokenSecretPlan {
  if (!isTokenSecret(secret) || secret.metadata.deletionTimestamp) return { action: "none" };
  if (!tokenSecretOf(secret, serviceAccount) || !serviceAccount) return { action: "delete" };
  const data: Record<string, string> = { ...((secret.data as Record<string, string> | undefined) ?? {}) };
  const ca = rootCA ? base64Encode(rootCA) : undefined;
  const needsCA = ca !== undefined && data[ROOT_CA_KEY] !== ca;
  const needsNamespace = !data.namespace;
  const needsToken = !data.token;
  const annotations = secret.metadata.annotations ?? {};
  const needsUID = annotations[SA_UID_ANNOTATION] !== serviceAccount.metadata.uid;
  if (!needsCA && !needsNamespace && !needsToken && !needsUID) return { action: "none" };
  if (needsCA && ca) data[ROOT_CA_KEY] = ca;
  if (needsNamespace) data.namespace = base64Encode(secret.metadata.namespace ?? "");
  const next: KubeObject = {
    ...secret,
    metadata: {
      ...secret.metadata,
      annotations: {
        ...annotations,
        [SA_NAME_ANNOTATION]: serviceAccount.metadata.name ?? "",
        [SA_UID_ANNOTATION]: serviceAccount.metadata.uid ?? "",
      },
    },
    data,
  };
  return { action: "fill", next, needsToken };
}
