// One DNS message in, one out: decode (dns-packet), answer the cluster zone or forward, encode, truncate
// for UDP. Whatever the bytes, this never throws: undecodable input gets FORMERR when it has a header to
// answer to, nothing otherwise; answers to our own answers are dropped (no loops between two servers).
import dnsPacket, { type Answer, type DecodedPacket, type Packet } from "dns-packet";
import { RCODE, type ClusterZone } from "./zone.ts";

/** Forwards the query as received; resolves to the upstream's answer, or undefined when none answered. */
export type Forward = (query: Buffer, tcp: boolean) => Promise<Buffer | undefined>;

export interface MessageContext {
  zone(): ClusterZone;
  forward: Forward;
}

/** The classic UDP limit without EDNS; with EDNS the client's size, capped as CoreDNS caps it. */
const UDP_MIN = 512;
const UDP_MAX = 1232;

export async function handleMessage(query: Buffer, ctx: MessageContext, tcp: boolean): Promise<Buffer | undefined> {
  try {
    return await handle(query, ctx, tcp);
  } catch {
    return errorReply(query, RCODE.SERVFAIL);
  }
}

async function handle(query: Buffer, ctx: MessageContext, tcp: boolean): Promise<Buffer | undefined> {
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(query);
  } catch {
    return errorReply(query, RCODE.FORMERR);
  }
  if (packet.type !== "query") return undefined;
  if ((packet as { opcode?: string }).opcode !== "QUERY") return errorReply(query, RCODE.NOTIMP);
  const questions = packet.questions ?? [];
  if (questions.length !== 1) return errorReply(query, RCODE.FORMERR);
  const question = questions[0];
  const zone = ctx.zone();
  if (!zone.owns(question)) {
    const upstream = await ctx.forward(query, tcp);
    return upstream ?? reply(packet, RCODE.SERVFAIL, {}, tcp);
  }
  const found = zone.answer(question);
  const last = found.answers.at(-1);
  // An ExternalName's CNAME to a name outside the zone: resolve the target upstream, as CoreDNS does.
  if (
    last?.type === "CNAME" &&
    (question.type === "A" || question.type === "AAAA") &&
    !zone.owns({ ...question, name: String(last.data) })
  ) {
    found.answers.push(...(await chase(ctx, packet, String(last.data), tcp)));
  }
  return reply(packet, found.rcode, found, tcp, true);
}

async function chase(ctx: MessageContext, packet: DecodedPacket, target: string, tcp: boolean): Promise<Answer[]> {
  const question = { ...packet.questions![0], name: target };
  const query = dnsPacket.encode({
    type: "query",
    id: packet.id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [question],
  });
  const answer = await ctx.forward(query, tcp);
  if (!answer) return [];
  try {
    return (dnsPacket.decode(answer).answers ?? []).filter((a) => a.type !== "OPT");
  } catch {
    return [];
  }
}

function reply(
  query: DecodedPacket,
  rcode: number,
  sections: { answers?: Answer[]; authorities?: Answer[]; additionals?: Answer[] },
  tcp: boolean,
  authoritative = false,
): Buffer {
  const edns = (query.additionals ?? []).find((a) => a.type === "OPT") as { udpPayloadSize?: number } | undefined;
  const opt: Answer[] = edns
    ? [
        {
          type: "OPT",
          name: ".",
          udpPayloadSize: UDP_MAX,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        } as unknown as Answer,
      ]
    : [];
  const flags =
    ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
    dnsPacket.RECURSION_AVAILABLE |
    (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
    rcode;
  const response: Packet = {
    type: "response",
    id: query.id,
    flags,
    questions: query.questions,
    answers: sections.answers ?? [],
    authorities: sections.authorities ?? [],
    additionals: [...(sections.additionals ?? []), ...opt],
  };
  const encoded = dnsPacket.encode(response);
  const limit = tcp ? 65535 : edns ? Math.min(Math.max(edns.udpPayloadSize ?? UDP_MIN, UDP_MIN), UDP_MAX) : UDP_MIN;
  if (encoded.length <= limit) return encoded;
  // Too big for this transport: TC set and the sections dropped, so the client asks again over TCP.
  return dnsPacket.encode({
    ...response,
    flags: flags | dnsPacket.TRUNCATED_RESPONSE,
    answers: [],
    authorities: [],
    additionals: opt,
  });
}

/** A header-only answer echoing the query's id and question bytes when they can be read. */
function errorReply(query: Buffer, rcode: number): Buffer | undefined {
  if (query.length < 12) return undefined;
  const flags = query.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response: never answer one
  const out = Buffer.alloc(12);
  query.copy(out, 0, 0, 2);
  out.writeUInt16BE(0x8000 | (flags & 0x7800) | (flags & 0x0100) | 0x0080 | rcode, 2);
  return out;
}
