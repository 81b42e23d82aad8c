import { describe, expect, it } from "vitest";
import {
  channelMessage,
  chooseChannelProtocol,
  errorChannelMessage,
  exitStatus,
  parseResize,
} from "./tunnel-protocol-channels.ts";

describe("chooseChannelProtocol", () => {
  it.each([
    ["v5.channel.k8s.io, v4.channel.k8s.io, channel.k8s.io", "v5.channel.k8s.io"],
    ["v4.channel.k8s.io,v5.channel.k8s.io", "v5.channel.k8s.io"],
    ["v4.channel.k8s.io", "v4.channel.k8s.io"],
    ["base64.channel.k8s.io", undefined],
    [null, undefined],
  ])("%s → %s", (header, want) => {
    expect(chooseChannelProtocol(header)).toBe(want);
  });
});

describe("exit statuses", () => {
  it("exit 0 is Success", () => {
    expect(exitStatus(0, ["true"])).toMatchObject({ status: "Success" });
  });
  it("a non-zero exit carries the code as upstream's ExitCode cause", () => {
    const status = exitStatus(3, ["sh", "-c", "exit 3"]);
    expect(status).toMatchObject({
      status: "Failure",
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "3" }] },
    });
    expect(status.message).toContain("exit code 3");
  });
  it("goes on channel 3 as JSON", () => {
    const msg = errorChannelMessage(exitStatus(1, ["false"]));
    expect(msg[0]).toBe(3);
    expect(JSON.parse(new TextDecoder().decode(msg.subarray(1))).reason).toBe("NonZeroExitCode");
  });
});

describe("channel messages", () => {
  it("prefixes the channel byte", () => {
    expect([...channelMessage(1, "hi")]).toEqual([1, 104, 105]);
    expect([...channelMessage(255, new Uint8Array([0]))]).toEqual([255, 0]);
  });
  it.each([
    ['{"Width":80,"Height":24}', { width: 80, height: 24 }],
    ['{"Width":"80"}', undefined],
    ["nope", undefined],
  ])("parses resize %s", (text, want) => {
    expect(parseResize(new TextEncoder().encode(text))).toEqual(want);
  });
});
