// The options every write carries (metav1.CreateOptions, UpdateOptions, PatchOptions, DeleteOptions), as the
// write path takes them; api/options.ts reads them from a request's query and body.
import type { UserInfo } from "../../../kube/user-info.ts";

export interface WriteOptions {
  dryRun: boolean;
  /** Who makes the change, for managedFields; defaults to the client's user-agent name. */
  fieldManager: string;
  fieldValidation: "Strict" | "Warn" | "Ignore" | "";
  /** Server-side apply only: take fields other managers own. */
  force: boolean;
  /** Set by server-side apply, which computes managedFields itself. */
  managedFieldsDone?: boolean;
  /** Who asks, for API writes (escalation checks); absent for the server's own writes. */
  user?: UserInfo;
  /** Where admission puts warnings for the response's `Warning` headers; absent, they are dropped. */
  warnings?: string[];
}

/** Writes the server makes on its own behalf (system namespaces, cascading deletes). */
export const SYSTEM_WRITE: WriteOptions = {
  dryRun: false,
  fieldManager: "flotilla",
  fieldValidation: "",
  force: false,
};

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
}
