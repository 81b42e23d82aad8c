import { describe, expect, it } from "vitest";
import {
  chunks,
  decodeFrame,
  encodeFrame,
  FrameType,
  jsonPayload,
  parsePayload,
  ReceiveWindow,
  readWindow,
  SendCredit,
  windowPayload,
} from "./tunnel-protocol.ts";

describe("frame codec", () => {
  const cases: { name: string; type: FrameType; stream: number; payload: Uint8Array }[] = [
    { name: "open with JSON", type: FrameType.open, stream: 1, payload: jsonPayload({ kind: "logs" }) },
    { name: "data", type: FrameType.data, stream: 0xfffffffe, payload: new Uint8Array([0, 1, 2, 255]) },
    { name: "empty close", type: FrameType.close, stream: 7, payload: new Uint8Array() },
    { name: "window", type: FrameType.window, stream: 300, payload: windowPayload(123456) },
  ];
  it.each(cases)("round-trips $name", ({ type, stream, payload }) => {
    const frame = decodeFrame(encodeFrame(type, stream, payload));
    expect(frame?.type).toBe(type);
    expect(frame?.stream).toBe(stream);
    expect([...(frame?.payload ?? [])]).toEqual([...payload]);
  });

  it("decodes from an ArrayBuffer and from an offset view", () => {
    const bytes = encodeFrame(FrameType.data, 9, new Uint8Array([42]));
    expect(decodeFrame(bytes.slice().buffer)?.stream).toBe(9);
    const padded = new Uint8Array(bytes.byteLength + 3);
    padded.set(bytes, 3);
    expect(decodeFrame(padded.subarray(3))).toMatchObject({ type: FrameType.data, stream: 9 });
  });

  it.each([
    ["too short", new Uint8Array([2, 0, 0])],
    ["unknown type 0", new Uint8Array([0, 0, 0, 0, 1])],
    ["unknown type 8", new Uint8Array([8, 0, 0, 0, 1])],
  ])("refuses a message that is no frame: %s", (_, bytes) => {
    expect(decodeFrame(bytes)).toBeUndefined();
  });

  it("reads window credit and JSON payloads", () => {
    expect(readWindow(windowPayload(65536))).toBe(65536);
    expect(readWindow(new Uint8Array(2))).toBe(0);
    expect(parsePayload(jsonPayload({ exitCode: 3 }))).toEqual({ exitCode: 3 });
    expect(parsePayload(new TextEncoder().encode("{nope"))).toBeUndefined();
    expect(parsePayload(new Uint8Array())).toBeUndefined();
  });

  it("splits data into bounded chunks", () => {
    const sizes = [...chunks(new Uint8Array(10), 4)].map((c) => c.byteLength);
    expect(sizes).toEqual([4, 4, 2]);
    expect([...chunks(new Uint8Array(0), 4)]).toEqual([]);
  });
});

describe("SendCredit", () => {
  it("takes at most what is there, then waits for a grant", async () => {
    const credit = new SendCredit(10);
    expect(await credit.take(4)).toBe(4);
    expect(await credit.take(100)).toBe(6);
    let got = -1;
    const waiting = credit.take(5).then((n) => (got = n));
    await Promise.resolve();
    expect(got).toBe(-1);
    credit.grant(3);
    await waiting;
    expect(got).toBe(3);
  });

  it("wakes waiters with 0 when closed", async () => {
    const credit = new SendCredit(0);
    const waiting = credit.take(5);
    credit.close();
    expect(await waiting).toBe(0);
  });
});

describe("ReceiveWindow", () => {
  it("grants credit back in batches of half the window", () => {
    const w = new ReceiveWindow(100);
    expect(w.received(60)).toBe(true);
    expect(w.consumed(30)).toBe(0);
    expect(w.consumed(30)).toBe(60);
    expect(w.received(100)).toBe(true);
    expect(w.received(1)).toBe(false);
  });

  it("refuses data beyond the credit granted", () => {
    const w = new ReceiveWindow(10);
    expect(w.received(11)).toBe(false);
  });
});
