// Parsing Kubernetes REST paths: /api/v1/namespaces/ns/pods/name/status and friends.
import { pathNotFound } from "../../../kube/status.ts";
import type { KindIndex } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { UserInfo } from "../../../kube/user-info.ts";

export interface ResourceTarget {
  kind: ResourceKind;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy `/watch/` path prefix asks for a watch. */
  legacyWatch: boolean;
  /** The authenticated (or impersonated) user, set by the router. */
  user?: UserInfo;
}

/** Splits `/api/v1/...` or `/apis/group/version/...` into group, version and the rest. */
export function splitGroupVersion(segments: string[]): { group: string; version: string; rest: string[] } | null {
  if (segments[0] === "api" && segments.length >= 2)
    return { group: "", version: segments[1], rest: segments.slice(2) };
  if (segments[0] === "apis" && segments.length >= 3)
    return { group: segments[1], version: segments[2], rest: segments.slice(3) };
  return null;
}

export function parseResourcePath(pathname: string, kinds: KindIndex): ResourceTarget {
  const segments = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const gv = splitGroupVersion(segments);
  if (!gv || gv.rest.length === 0) throw pathNotFound();
  let rest = gv.rest;
  const legacyWatch = rest[0] === "watch";
  if (legacyWatch) rest = rest.slice(1);
  const namespaced =
    rest[0] === "namespaces" && rest.length >= 3 ? kinds.byPlural(gv.group, gv.version, rest[2]) : undefined;
  if (namespaced?.namespaced) {
    if (rest.length > 5) throw pathNotFound();
    return { kind: namespaced, namespace: rest[1], name: rest[3], subresource: rest[4], legacyWatch };
  }
  const kind = kinds.byPlural(gv.group, gv.version, rest[0]);
  if (!kind || rest.length > 3) throw pathNotFound();
  return { kind, name: rest[1], subresource: rest[2], legacyWatch };
}
