import { describe, expect, it } from "vitest";
import { isErrorLine, type WranglerDevOptions, wranglerDevArgs, wranglerDevEnv } from "./wrangler-dev.ts";

const opts: WranglerDevOptions = {
  root: "/repo",
  ip: "127.0.0.1",
  port: 9123,
  certPath: "/home/server.pem",
  keyPath: "/home/server-key.pem",
  persistTo: "/home/state",
  vars: { FLOTILLA_LOCAL_BOOTSTRAP: "true", WITH_COLON: "a:b" },
  quiet: true,
};

describe("wranglerDevArgs", () => {
  const args = wranglerDevArgs(opts);
  const flag = (name: string) => args[args.indexOf(name) + 1];

  it.each([
    ["--ip", "127.0.0.1"],
    ["--port", "9123"],
    ["--local-protocol", "https"],
    ["--https-key-path", "/home/server-key.pem"],
    ["--https-cert-path", "/home/server.pem"],
    ["--persist-to", "/home/state"],
  ])("%s %s", (name, value) => {
    expect(args).toContain(name);
    expect(flag(name)).toBe(value);
  });

  it("passes vars as KEY:VALUE (wrangler splits on the first colon)", () => {
    const vars = args.flatMap((a, i) => (args[i - 1] === "--var" ? [a] : []));
    expect(vars).toEqual(["FLOTILLA_LOCAL_BOOTSTRAP:true", "WITH_COLON:a:b"]);
  });

  it("starts with dev and turns the interactive session off", () => {
    expect(args[0]).toBe("dev");
    expect(args).toContain("--show-interactive-dev-session=false");
  });
});

describe("wranglerDevEnv", () => {
  it("keeps the caller's env and forces offline, quiet settings", () => {
    const env = wranglerDevEnv(
      { PATH: "/bin", WRANGLER_SEND_METRICS: "true" },
      { registry: "/home/registry", logs: "/home/logs" },
    );
    expect(env).toMatchObject({
      PATH: "/bin",
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_HIDE_BANNER: "true",
      BROWSER: "none",
      WRANGLER_REGISTRY_PATH: "/home/registry",
      WRANGLER_LOG_PATH: "/home/logs",
    });
  });

  it("leaves wrangler's own directories alone when none are given", () => {
    expect(wranglerDevEnv({}).WRANGLER_REGISTRY_PATH).toBeUndefined();
    expect(wranglerDevEnv({}).WRANGLER_LOG_PATH).toBeUndefined();
  });
});

describe("isErrorLine", () => {
  it.each([
    ['✘ [ERROR] Could not resolve "./x.ts"', true],
    ["Uncaught TypeError: x is not a function", true],
    ["Error: listen EADDRINUSE: address already in use 127.0.0.1:8787", true],
    ["[wrangler:info] Ready on https://127.0.0.1:8787", false],
    ["[wrangler:info] GET /healthz 200 OK (3ms)", false],
    ["⎔ Starting local server...", false],
  ])("%s → %s", (line, want) => {
    expect(isErrorLine(line)).toBe(want);
  });
});
