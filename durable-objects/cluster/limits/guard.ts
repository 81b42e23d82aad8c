// A cluster's plan enforced: request rate (429 with Retry-After), and counts and bytes of stored
// objects (403 with upstream's quota wording). Usage is counted from the store's own change
// feed, so checking a limit costs no query.
import type { ObjectStore } from "../store/object-store.ts";
import { publicRateLimited, publicTooLarge, quotaExceeded, rateLimited } from "./errors.ts";
import { TokenBucket } from "./rate.ts";
import type { ClusterPlan, ClusterUsage } from "./types.ts";

/** How many seconds of the rate a client may spend at once (kubectl fires discovery in parallel). */
const BURST_SECONDS = 2;

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH"]);

export interface CreateTarget {
  group: string;
  plural: string;
  name: string;
  /** Serialized size of the object to store. */
  bytes: number;
}

export class ClusterGuard {
  readonly plan: ClusterPlan;
  #store: ObjectStore;
  #bucket: TokenBucket;
  /** Public URL traffic has its own bucket: a busy app never starves kubectl, nor kubectl the app. */
  #publicBucket: TokenBucket;
  #bytes: number;
  #unsubscribe: () => void;

  constructor(plan: ClusterPlan, store: ObjectStore, storedBytes: number, now: number) {
    this.plan = plan;
    this.#store = store;
    this.#bytes = storedBytes;
    this.#bucket = new TokenBucket(plan.requestsPerSecond, plan.requestsPerSecond * BURST_SECONDS, now);
    const publicRate = plan.publicRequestsPerSecond;
    this.#publicBucket = new TokenBucket(publicRate, publicRate * BURST_SECONDS, now);
    this.#unsubscribe = store.onChange(({ type, entry, previous }) => {
      this.#bytes += (type === "DELETED" ? 0 : entry.json.length) - (previous?.json.length ?? 0);
    });
  }

  usage(): ClusterUsage {
    return {
      nodes: this.#store.count("nodes"),
      pods: this.#store.count("pods"),
      objects: this.#store.count(),
      storedBytes: this.#bytes,
    };
  }

  /**
   * Every authenticated request: the rate first, then — for writes — whether any room is left.
   * Deletes always pass the byte check, so a full cluster can be emptied.
   */
  admitRequest(method: string, now: number): void {
    const taken = this.#bucket.take(now);
    if (!taken.ok) throw rateLimited(this.plan.name, this.plan.requestsPerSecond, taken.retryAfterSeconds);
    if (WRITE_METHODS.has(method) && this.#bytes >= this.plan.storedBytes)
      throw quotaExceeded(
        this.plan.name,
        { group: "", resource: "requested resource", name: "" },
        { counted: "storage/bytes", requested: 1, used: this.#bytes, limited: this.plan.storedBytes },
      );
  }

  /** Every request to the public URL, before anything else is looked at (429 with Retry-After). */
  admitPublicRequest(now: number): void {
    const taken = this.#publicBucket.take(now);
    if (!taken.ok) throw publicRateLimited(this.plan.name, this.plan.publicRequestsPerSecond, taken.retryAfterSeconds);
  }

  /** A public request body of `bytes` (its declared length, or what was read so far) past the plan's limit: 413. */
  admitPublicBody(bytes: number): void {
    if (bytes > this.plan.publicBodyBytes) throw publicTooLarge(this.plan.name, this.plan.publicBodyBytes);
  }

  /** Before a new object is stored: the kind's own count, all objects, and bytes. */
  admitCreate(target: CreateTarget): void {
    const { plan } = this;
    const where = { group: target.group, resource: target.plural, name: target.name };
    const core = target.group === "";
    if (core && target.plural === "pods") this.#check(where, "pods", 1, this.#store.count("pods"), plan.pods);
    if (core && target.plural === "nodes") this.#check(where, "nodes", 1, this.#store.count("nodes"), plan.nodes);
    this.#check(where, "count/objects", 1, this.#store.count(), plan.objects);
    this.#check(where, "storage/bytes", target.bytes, this.#bytes, plan.storedBytes);
  }

  dispose(): void {
    this.#unsubscribe();
  }

  #check(
    where: { group: string; resource: string; name: string },
    counted: string,
    requested: number,
    used: number,
    limited: number,
  ): void {
    if (used + requested > limited) throw quotaExceeded(this.plan.name, where, { counted, requested, used, limited });
  }
}
