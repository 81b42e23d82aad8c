import dnsPacket from "dns-packet";
import { describe, expect, it } from "vitest";
import { AnswerCache } from "./cache.ts";
import { queryPacket, type Reply } from "./testing.ts";

/** An upstream stand-in: answers every query with `rcode`, one A record of `ttl`, counting the trips. */
function upstream(rcode: number, ttl = 60, extra: Partial<dnsPacket.Packet> = {}) {
  const calls = { n: 0 };
  const forward = async (query: Buffer) => {
    calls.n++;
    const q = dnsPacket.decode(query);
    return dnsPacket.encode({
      type: "response",
      id: q.id,
      flags: dnsPacket.RECURSION_AVAILABLE | rcode,
      questions: q.questions,
      answers: rcode === 0 ? [{ name: q.questions![0].name, type: "A", class: "IN", ttl, data: "192.0.2.1" }] : [],
      authorities:
        rcode === 3
          ? [{ name: "invalid", type: "SOA", class: "IN", ttl: 900, data: { mname: "a", rname: "b", minimum: 10 } }]
          : [],
      ...extra,
    });
  };
  return { forward, calls };
}

const decode = (b: Buffer | undefined) => dnsPacket.decode(b!) as Reply;

describe("AnswerCache", () => {
  it("serves a repeated question from the cache with the asker's id and TTLs counted down, for at most 30 s", async () => {
    let now = 1_000_000;
    const cache = new AnswerCache(() => now);
    const up = upstream(0, 300);
    const ask = cache.wrap(up.forward);
    const first = decode(await ask(queryPacket("known.example"), false));
    now += 5_000;
    const query = queryPacket("known.example");
    const second = decode(await ask(query, false));
    expect(up.calls.n).toBe(1);
    expect(second.id).toBe(query.readUInt16BE(0));
    expect(second.id).not.toBe(first.id);
    expect(second.answers?.[0]).toMatchObject({ data: "192.0.2.1", ttl: 295 });
    now += 26_000;
    await ask(queryPacket("known.example"), false);
    expect(up.calls.n).toBe(2);
  });

  it("keeps an NXDOMAIN for the SOA's minimum, never a SERVFAIL or a truncated answer", async () => {
    let now = 0;
    const cache = new AnswerCache(() => now);
    const nx = upstream(3);
    const askNx = cache.wrap(nx.forward);
    expect(decode(await askNx(queryPacket("example.invalid"), false)).rcode).toBe("NXDOMAIN");
    expect(decode(await askNx(queryPacket("example.invalid"), false)).rcode).toBe("NXDOMAIN");
    expect(nx.calls.n).toBe(1);
    now += 11_000;
    await askNx(queryPacket("example.invalid"), false);
    expect(nx.calls.n).toBe(2);
    const fail = upstream(2);
    const askFail = cache.wrap(fail.forward);
    await askFail(queryPacket("down.example"), false);
    await askFail(queryPacket("down.example"), false);
    expect(fail.calls.n).toBe(2);
    const truncated = upstream(0, 60, { flags: dnsPacket.TRUNCATED_RESPONSE });
    const askTc = cache.wrap(truncated.forward);
    await askTc(queryPacket("big.example"), false);
    await askTc(queryPacket("big.example"), false);
    expect(truncated.calls.n).toBe(2);
  });

  it("tells questions apart by name, type and EDNS", async () => {
    const cache = new AnswerCache();
    const up = upstream(0);
    const ask = cache.wrap(up.forward);
    await ask(queryPacket("a.example"), false);
    await ask(queryPacket("a.example", "AAAA"), false);
    await ask(queryPacket("a.example", "A", true), false);
    await ask(queryPacket("b.example"), false);
    expect(up.calls.n).toBe(4);
    expect(cache.hits).toBe(0);
  });
});
