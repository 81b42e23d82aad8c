// Answers from the host's resolvers kept for their TTL, at most 30 s (kubeadm's Corefile: `cache 30`), so
// the names pods ask again and again (ndots:5 sends each through the search path) cost one upstream trip.
// Served with the asker's id and the TTLs counted down; truncated answers, SERVFAIL and answers without a
// TTL to go by are never kept. Only forwarded answers are cached: the cluster zone is answered fresh.
import dnsPacket, { type Answer, type DecodedPacket } from "dns-packet";
import type { Forward } from "./message.ts";

const MAX_TTL_SECONDS = 30;
const MAX_ENTRIES = 10_000;

interface Entry {
  packet: DecodedPacket;
  storedAt: number;
  expiresAt: number;
}

type WithRcode = DecodedPacket & { rcode?: string };

function keyOf(query: DecodedPacket): string | undefined {
  const q = query.questions?.[0];
  if (!q || (query.questions?.length ?? 0) !== 1) return undefined;
  const edns = (query.additionals ?? []).some((a) => a.type === "OPT");
  return `${q.name}|${q.type}|${q.class ?? "IN"}|${edns ? 1 : 0}|${(query.flags ?? 0) & dnsPacket.CHECKING_DISABLED}`;
}

const records = (p: DecodedPacket): Answer[] =>
  [...(p.answers ?? []), ...(p.authorities ?? []), ...(p.additionals ?? [])].filter((a) => a.type !== "OPT");

/** Seconds an answer may be kept: its smallest TTL (the SOA's minimum for a negative one), capped. */
function ttlOf(answer: WithRcode): number | undefined {
  if (answer.rcode !== "NOERROR" && answer.rcode !== "NXDOMAIN") return undefined;
  if (answer.flags !== undefined && answer.flags & dnsPacket.TRUNCATED_RESPONSE) return undefined;
  const ttls = records(answer).map((r) => ("ttl" in r && typeof r.ttl === "number" ? r.ttl : 0));
  const soa = (answer.authorities ?? []).find((r) => r.type === "SOA") as { data?: { minimum?: number } } | undefined;
  if ((answer.answers ?? []).length === 0 && soa?.data?.minimum !== undefined) ttls.push(soa.data.minimum);
  if (ttls.length === 0) return undefined;
  return Math.min(MAX_TTL_SECONDS, ...ttls);
}

export class AnswerCache {
  #entries = new Map<string, Entry>();
  hits = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Wraps a forwarder: a cached answer is served without asking upstream. */
  wrap(forward: Forward): Forward {
    return async (query, tcp) => {
      let decoded: DecodedPacket;
      try {
        decoded = dnsPacket.decode(query);
      } catch {
        return forward(query, tcp);
      }
      const key = keyOf(decoded);
      const hit = key ? this.#get(key, decoded.id ?? 0) : undefined;
      if (hit) return hit;
      const answer = await forward(query, tcp);
      if (answer && key) this.#put(key, answer);
      return answer;
    };
  }

  #get(key: string, id: number): Buffer | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    const elapsed = Math.floor((now - entry.storedAt) / 1000);
    const age = (list: Answer[] | undefined) =>
      (list ?? []).map((r) =>
        r.type !== "OPT" && "ttl" in r ? { ...r, ttl: Math.max(0, (r.ttl ?? 0) - elapsed) } : r,
      );
    const { packet } = entry;
    this.hits++;
    return dnsPacket.encode({
      ...packet,
      id,
      answers: age(packet.answers),
      authorities: age(packet.authorities),
      additionals: age(packet.additionals),
    });
  }

  #put(key: string, answer: Buffer): void {
    let packet: WithRcode;
    try {
      packet = dnsPacket.decode(answer);
    } catch {
      return;
    }
    const ttl = ttlOf(packet);
    if (!ttl || ttl <= 0) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
    const now = this.now();
    this.#entries.delete(key);
    this.#entries.set(key, { packet, storedAt: now, expiresAt: now + ttl * 1000 });
  }
}
