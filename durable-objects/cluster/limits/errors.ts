// Quota and rate errors in the words of upstream's ResourceQuota admission
// ("exceeded quota: <name>, requested: …, used: …, limited: …") and its 429.
import { forbidden, groupResource, tooLarge, tooManyRequests } from "../../../kube/status.ts";

export interface QuotaBreach {
  /** What is counted, as in a ResourceQuota's hard limits: "pods", "nodes", "count/objects", "storage/bytes". */
  counted: string;
  /** Counts, or quantities ("10Gi") for what is measured in bytes of storage. */
  requested: number | string;
  used: number | string;
  limited: number | string;
}

export function quotaName(plan: string): string {
  return `flotilla-plan-${plan}`;
}

export function quotaExceeded(
  plan: string,
  target: { group: string; resource: string; name: string },
  breach: QuotaBreach,
) {
  const { counted, requested, used, limited } = breach;
  const what = target.name ? `${groupResource(target.group, target.resource)} "${target.name}"` : target.resource;
  return forbidden(
    `${what} is forbidden: exceeded quota: ${quotaName(plan)}, requested: ${counted}=${requested}, used: ${counted}=${used}, limited: ${counted}=${limited} (the "${plan}" plan allows ${limited} ${counted}; delete some to make room)`,
    { name: target.name || undefined, group: target.group || undefined, kind: target.resource },
  );
}

export function rateLimited(plan: string, requestsPerSecond: number, retryAfterSeconds: number) {
  return tooManyRequests(
    `too many requests: the "${plan}" plan allows ${requestsPerSecond} requests per second for this cluster; retry after ${retryAfterSeconds}s`,
    retryAfterSeconds,
  );
}

export function publicRateLimited(plan: string, requestsPerSecond: number, retryAfterSeconds: number) {
  return tooManyRequests(
    `too many requests: the "${plan}" plan allows ${requestsPerSecond} requests per second to this cluster's public services; retry after ${retryAfterSeconds}s`,
    retryAfterSeconds,
  );
}

export function publicTooLarge(plan: string, limit: number) {
  return tooLarge(
    `Request entity too large: the "${plan}" plan allows request bodies of up to ${limit} bytes to this cluster's public services`,
  );
}
