import { describe, expect, it } from "vitest";
import { parseAgentArgs, parseLabels, UsageError } from "./args.ts";

describe("parseAgentArgs", () => {
  it("reads every flag in both spellings", () => {
    const o = parseAgentArgs([
      "--server",
      "https://x.test/clusters/abc/",
      "--join-token=jt",
      "--name",
      "n1",
      "--runtime=simulated",
      "--state-dir",
      "/tmp/s",
      "--ca-file",
      "/ca.pem",
      "--labels",
      "zone=a,tier=",
      "--nodes",
      "3",
    ]);
    expect(o).toEqual({
      server: "https://x.test/clusters/abc",
      joinToken: "jt",
      name: "n1",
      runtime: "simulated",
      stateDir: "/tmp/s",
      caFile: "/ca.pem",
      labels: { zone: "a", tier: "" },
      nodes: 3,
      insecureSkipTlsVerify: false,
    });
  });

  it("defaults to the docker runtime and one node", () => {
    const o = parseAgentArgs(["--server", "https://x.test/c"]);
    expect(o?.runtime).toBe("docker");
    expect(o?.nodes).toBe(1);
    expect(o?.labels).toEqual({});
  });

  it("takes the host resolver configuration for cluster DNS, as the kubelet's --resolv-conf", () => {
    expect(parseAgentArgs(["--server", "https://x.test/c", "--resolv-conf=/run/r.conf"])?.resolvConf).toBe(
      "/run/r.conf",
    );
  });

  it("returns undefined for --help", () => {
    expect(parseAgentArgs(["--help"])).toBeUndefined();
  });

  it.each([
    [[], "--server is required"],
    [["--server", "nope"], "is not a URL"],
    [["--server", "ftp://x"], "must be an https URL"],
    [["--server", "https://x", "--runtime", "lxc"], "--runtime must be docker or simulated"],
    [["--server", "https://x", "--nodes", "0"], "--nodes must be a positive integer"],
    [["--server", "https://x", "--nodes", "2"], "--nodes needs --runtime simulated"],
    [["--server", "https://x", "--bogus", "1"], "unknown flag --bogus"],
    [["--server"], "flag --server needs a value"],
    [["stray"], "unexpected argument"],
    [["--server", "https://x", "--labels", "novalue"], "invalid label"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseAgentArgs(argv)).toThrow(UsageError);
    expect(() => parseAgentArgs(argv)).toThrow(message);
  });
});

describe("parseLabels", () => {
  it("trims and skips empty parts", () => {
    expect(parseLabels(" a=1 ,, b = 2 ")).toEqual({ a: "1", b: "2" });
  });
});
