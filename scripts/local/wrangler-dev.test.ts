import { describe, expect, it } from "vitest";
import { devWorkerArgs, isErrorLine, localServer, type WranglerDevOptions, wranglerDevEnv } from "./wrangler-dev.ts";

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

describe("devWorkerArgs", () => {
  const [script, json] = devWorkerArgs({ ...opts, server: "wrangler" });

  it("runs the dev-worker entry of the checkout for wrangler's dev server", () => {
    expect(script).toBe("/repo/scripts/local/dev-worker.ts");
  });

  it("runs the Miniflare entry of the checkout for the Miniflare server, with the same options", () => {
    const [miniflare, same] = devWorkerArgs({ ...opts, server: "miniflare" });
    expect(miniflare).toBe("/repo/scripts/local/miniflare-worker.ts");
    expect(same).toBe(json);
  });

  it("passes the server, persistence and vars as one JSON argument", () => {
    expect(JSON.parse(json)).toEqual({
      root: "/repo",
      ip: "127.0.0.1",
      port: 9123,
      certPath: "/home/server.pem",
      keyPath: "/home/server-key.pem",
      persistTo: "/home/state",
      vars: { FLOTILLA_LOCAL_BOOTSTRAP: "true", WITH_COLON: "a:b" },
    });
  });
});

describe("localServer", () => {
  it("is wrangler's dev server unless FLOTILLA_SERVER says miniflare", () => {
    expect(localServer({})).toBe("wrangler");
    expect(localServer({ FLOTILLA_SERVER: "wrangler" })).toBe("wrangler");
    expect(localServer({ FLOTILLA_SERVER: "miniflare" })).toBe("miniflare");
  });

  it("refuses an unknown server instead of guessing", () => {
    expect(() => localServer({ FLOTILLA_SERVER: "dev" })).toThrow(/FLOTILLA_SERVER must be/);
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
