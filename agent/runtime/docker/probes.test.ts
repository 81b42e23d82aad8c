import { describe, expect, it } from "vitest";
import { demux, ProbeTracker, resolvePort } from "./probes.ts";

describe("ProbeTracker", () => {
  it("readiness turns true after successThreshold and false after failureThreshold", () => {
    const t = new ProbeTracker({ exec: { command: ["true"] }, successThreshold: 2, failureThreshold: 2 }, false);
    expect(t.observe(true, 1)).toBe(false);
    expect(t.result).toBe(false);
    expect(t.observe(true, 2)).toBe(true);
    expect(t.result).toBe(true);
    expect(t.observe(false, 3)).toBe(false);
    expect(t.observe(true, 4)).toBe(false);
    expect(t.observe(false, 5)).toBe(false);
    expect(t.observe(false, 6)).toBe(true);
    expect(t.result).toBe(false);
    expect(t.failed).toBe(true);
  });

  it("honours initialDelaySeconds and periodSeconds", () => {
    const t = new ProbeTracker({ tcpSocket: { port: 80 }, initialDelaySeconds: 5, periodSeconds: 3 }, true);
    expect(t.due(4000, 0)).toBe(false);
    expect(t.due(5000, 0)).toBe(true);
    t.observe(true, 5000);
    expect(t.due(7000, 0)).toBe(false);
    expect(t.due(8000, 0)).toBe(true);
    t.running = true;
    expect(t.due(9000, 0)).toBe(false);
  });
});

describe("resolvePort", () => {
  const container = { name: "c", ports: [{ name: "http", containerPort: 8080 }] };
  it.each([
    [80, 80],
    ["81", 81],
    ["http", 8080],
    ["nope", undefined],
  ] as const)("%s → %s", (port, expected) => expect(resolvePort(port, container)).toBe(expected));
});

it("demux strips Docker stream frame headers", () => {
  const frame = (stream: number, text: string) => {
    const body = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body]);
  };
  expect(demux(Buffer.concat([frame(1, "out "), frame(2, "err")]))).toBe("out err");
  expect(demux(Buffer.from("plain"))).toBe("plain");
});
