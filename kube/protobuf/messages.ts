// Every message descriptor the decoder knows, and which message each top-level kind is encoded as: the tables in
// messages/ are generated from upstream's descriptors by scripts/protobuf-messages.ts.
export { KIND_MESSAGES, MESSAGES, OPTION_MESSAGES } from "./messages/index.ts";
import { KIND_MESSAGES, OPTION_MESSAGES } from "./messages/index.ts";

/** Upstream's meta group version: options types are registered here as well as in every group version. */
const META_VERSION = "meta.k8s.io/v1";

/**
 * The message a body of this apiVersion and kind is encoded as. Options types (DeleteOptions) are accepted under
 * every group version served, as metav1.AddToGroupVersion registers them upstream (client-go sends a DELETE's
 * DeleteOptions under the resource's own group version, helm's under v1).
 */
export function messageFor(apiVersion: string, kind: string): string | undefined {
  const kinds = KIND_MESSAGES[apiVersion];
  if (kinds && Object.hasOwn(kinds, kind)) return kinds[kind];
  if ((kinds || apiVersion === META_VERSION) && Object.hasOwn(OPTION_MESSAGES, kind)) return OPTION_MESSAGES[kind];
  return undefined;
}
