import { describe, expect, it } from "vitest";
import { closePayload, encodeRelayMessage, RelayParser, RelayType, readClose, relayText } from "./ws-relay.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("relayed WebSocket messages", () => {
  it.each([
    ["text", RelayType.text, "héllo", [1, 0, 0, 0, 6, 0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]],
    ["binary", RelayType.binary, bytes(0, 255), [2, 0, 0, 0, 2, 0, 255]],
    ["empty close", RelayType.close, bytes(), [8, 0, 0, 0, 0]],
  ] as const)("encodes %s as type, length, payload", (_, type, payload, wire) => {
    expect([...encodeRelayMessage(type, payload)]).toEqual(wire);
  });

  it("parses messages split at every byte boundary and several in one chunk", () => {
    const wire = new Uint8Array([
      ...encodeRelayMessage(RelayType.handshake, JSON.stringify({ protocol: "chat" })),
      ...encodeRelayMessage(RelayType.text, "one"),
      ...encodeRelayMessage(RelayType.binary, bytes(1, 2, 3)),
      ...encodeRelayMessage(RelayType.close, closePayload(4001, "bye")),
    ]);
    for (let split = 0; split <= wire.byteLength; split++) {
      const parser = new RelayParser();
      const got = [...parser.push(wire.subarray(0, split)), ...parser.push(wire.subarray(split))];
      expect(got.map((m) => m.type)).toEqual([RelayType.handshake, RelayType.text, RelayType.binary, RelayType.close]);
      expect(JSON.parse(relayText(got[0].payload))).toEqual({ protocol: "chat" });
      expect(relayText(got[1].payload)).toBe("one");
      expect([...got[2].payload]).toEqual([1, 2, 3]);
      expect(readClose(got[3].payload)).toEqual({ code: 4001, reason: "bye" });
    }
  });

  it("keeps a message whole when its chunk's buffer is reused", () => {
    const parser = new RelayParser();
    const chunk = encodeRelayMessage(RelayType.binary, bytes(7, 8));
    const [message] = parser.push(chunk);
    chunk.fill(0);
    expect([...message.payload]).toEqual([7, 8]);
  });

  it("refuses a stream that is not a relay", () => {
    expect(() => new RelayParser().push(bytes(42, 0, 0, 0, 0))).toThrow(/not a relayed WebSocket message/);
  });

  it.each([
    [undefined, "", { reason: "" }],
    [1000, "", { code: 1000, reason: "" }],
    [1011, "pod gone", { code: 1011, reason: "pod gone" }],
  ])("close payload %s %j round-trips", (code, reason, want) => {
    expect(readClose(closePayload(code, reason))).toEqual(want);
  });
});
