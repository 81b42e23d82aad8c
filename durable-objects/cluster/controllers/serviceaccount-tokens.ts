// The tokens controller (upstream pkg/controller/serviceaccount/tokens_controller.go): a Secret of type
// kubernetes.io/service-account-token annotated kubernetes.io/service-account.name gets a legacy token of
// that ServiceAccount signed by the cluster's key, ca.crt (from ConfigMap kube-root-ca.crt, when the cluster
// publishes it) and its namespace; it is deleted with its ServiceAccount. Signing is asynchronous
// (WebCrypto) and reconciles are not: a reconcile starts the signature and looks again once it is made.
import type { KubeObject } from "../../../kube/types.ts";
import { ROOT_CA_CONFIGMAP } from "../../../kube/service-account-volume.ts";
import type { ApiContext } from "../context.ts";
import { base64Encode } from "../registry/secrets.ts";
import { objectKey } from "../store/keys.ts";
import type { Change } from "../store/object-store.ts";
import { isTokenSecret, planTokenSecret, ROOT_CA_KEY, SA_NAME_ANNOTATION } from "./serviceaccount-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const TOKENS_CONTROLLER = "serviceaccount-token-controller";
/** How soon a reconcile waiting for its signature looks again (signing takes about a millisecond). */
const SIGNING_RETRY_MS = 25;

export class ServiceAccountTokensController implements Controller {
  readonly name = TOKENS_CONTROLLER;
  readonly #w: Writer;
  /** Secret uid → its token, once signed (kept until written); a failed signature is retried. */
  readonly #signed = new Map<string, Promise<string | undefined>>();
  readonly #ready = new Map<string, string>();

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, TOKENS_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, object, key } = change.entry;
    const ns = object.metadata.namespace;
    if (resource === "secrets") return change.type !== "DELETED" && isTokenSecret(object) ? [key] : [];
    // A ServiceAccount gone (or recreated) takes its token Secrets; a new CA refreshes every one in the namespace.
    if (resource === "serviceaccounts") return this.#tokenSecrets(ns, object.metadata.name);
    if (resource === "configmaps" && object.metadata.name === ROOT_CA_CONFIGMAP) return this.#tokenSecrets(ns);
    return [];
  }

  initialKeys(): string[] {
    return this.ctx.store
      .list("secrets")
      .filter((e) => isTokenSecret(e.object))
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const secret = this.#w.entry(key)?.object;
    if (!secret) return undefined;
    const ns = secret.metadata.namespace;
    const saName = secret.metadata.annotations?.[SA_NAME_ANNOTATION] ?? "";
    const serviceAccount = saName ? this.ctx.store.get("serviceaccounts", ns, saName)?.object : undefined;
    const caData = this.ctx.store.get("configmaps", ns, ROOT_CA_CONFIGMAP)?.object.data as
      | Record<string, unknown>
      | undefined;
    const ca = caData?.[ROOT_CA_KEY];
    const plan = planTokenSecret(secret, serviceAccount, typeof ca === "string" ? ca : undefined);
    if (plan.action === "none") return undefined;
    if (plan.action === "delete") {
      this.#w.delete("secrets", secret);
      return undefined;
    }
    if (plan.needsToken) {
      const token = this.#token(secret, serviceAccount as KubeObject);
      if (token === undefined) return { requeueAfterMs: SIGNING_RETRY_MS };
      plan.next.data = { ...(plan.next.data as Record<string, string>), token: base64Encode(token) };
    }
    this.#w.update("secrets", secret, plan.next);
    this.#ready.delete(secret.metadata.uid ?? "");
    return undefined;
  }

  /** The signed token for this Secret if ready; otherwise starts signing it and answers undefined. */
  #token(secret: KubeObject, serviceAccount: KubeObject): string | undefined {
    const uid = secret.metadata.uid ?? "";
    const ready = this.#ready.get(uid);
    if (ready !== undefined) return ready;
    const issuer = this.ctx.serviceAccountIssuer;
    if (!issuer || this.#signed.has(uid)) return undefined;
    const signing = issuer
      .issueLegacy(serviceAccount, secret)
      .then((token) => {
        this.#ready.set(uid, token);
        return token;
      })
      .catch(() => undefined)
      .finally(() => this.#signed.delete(uid));
    this.#signed.set(uid, signing);
    return undefined;
  }

  #tokenSecrets(namespace: string | undefined, serviceAccount?: string): string[] {
    return this.ctx.store
      .list("secrets", namespace)
      .filter(
        (e) =>
          isTokenSecret(e.object) &&
          (serviceAccount === undefined || e.object.metadata.annotations?.[SA_NAME_ANNOTATION] === serviceAccount),
      )
      .map((e) => objectKey("secrets", namespace, e.object.metadata.name ?? ""));
  }
}
