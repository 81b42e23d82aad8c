import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  clusterUrl,
  DEMO_EMAIL,
  type DemoAccount,
  ensureDemoCluster,
  isDemoAccount,
  loadOrCreateDemoAccount,
  newPassword,
} from "./demo-cluster.ts";
import { readBody, startTestHttpsServer } from "./test-server.ts";

// Tests here generate RSA keys (CPU-bound): leave room on a loaded machine.
const KEYGEN_TIMEOUT = { timeout: 30_000 };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-demo-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("newPassword", () => {
  it("is 32 base64url characters, different each time", () => {
    const a = newPassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newPassword()).not.toBe(a);
  });
});

describe("isDemoAccount", () => {
  const pw = "p".repeat(32);
  it.each([
    [{ email: "demo@x.local", password: pw }, true],
    [{ email: "demo@x.local", password: pw, clusterId: "abc", adminToken: "t".repeat(43) }, true],
    [{ email: "demo@x.local", password: pw, clusterId: "ABC", adminToken: "t".repeat(43) }, false],
    [{ email: "demo@x.local", password: pw, clusterId: "abc" }, false],
    [{ email: "demo", password: pw }, false],
    [{ email: "demo@x.local", password: "short" }, false],
    [{ clusterId: "abc", adminToken: "t".repeat(43) }, false],
    [null, false],
  ])("%j → %s", (value, ok) => {
    expect(isDemoAccount(value)).toBe(ok);
  });
});

describe("loadOrCreateDemoAccount", () => {
  it("creates a private file once and returns the same account afterwards", () => {
    const file = path.join(dir, "demo-cluster.json");
    const first = loadOrCreateDemoAccount(file);
    expect(first.email).toBe(DEMO_EMAIL);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDemoAccount(file)).toEqual(first);
  });

  it("refuses to overwrite a damaged file", () => {
    const file = path.join(dir, "damaged.json");
    fs.writeFileSync(file, "{not json");
    expect(() => loadOrCreateDemoAccount(file)).toThrow(/not a valid demo account file/);
    expect(fs.readFileSync(file, "utf8")).toBe("{not json");
  });

  it("replaces a file of the removed bootstrap route with a new account", () => {
    const file = path.join(dir, "legacy.json");
    fs.writeFileSync(file, JSON.stringify({ clusterId: "abcdefghij", adminToken: "t".repeat(43) }));
    const account = loadOrCreateDemoAccount(file);
    expect(account.clusterId).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(account);
  });
});

/** A stand-in /v1 that records requests and answers from a table of method+path. */
async function fakeApi(answers: Record<string, [number, unknown]>) {
  const seen: string[] = [];
  const server = await startTestHttpsServer(async (req: http.IncomingMessage, res) => {
    const body = await readBody(req);
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? "-"} ${body}`);
    const [status, answer] = answers[`${req.method} ${req.url}`] ?? [404, { error: { code: "not_found" } }];
    res.statusCode = status;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(answer));
  });
  return { server, seen };
}

describe("ensureDemoCluster", KEYGEN_TIMEOUT, () => {
  const account: DemoAccount = { email: DEMO_EMAIL, password: "p".repeat(32) };

  it("signs up when login fails, creates the cluster and saves it", async () => {
    const { server, seen } = await fakeApi({
      "POST /v1/login": [401, { error: { code: "unauthenticated" } }],
      "POST /v1/signup": [201, { token: "flta_x" }],
      "POST /v1/clusters": [201, { id: "abcdefghijklmnopqrstuvwxyz", adminToken: "t".repeat(43) }],
    });
    const file = path.join(dir, "fresh.json");
    try {
      const cluster = await ensureDemoCluster(server.url, server.caPem, file, account);
      expect(cluster).toEqual({
        clusterId: "abcdefghijklmnopqrstuvwxyz",
        adminToken: "t".repeat(43),
        accountToken: "flta_x",
      });
      expect(seen.map((s) => s.split(" ").slice(0, 3).join(" "))).toEqual([
        "POST /v1/login -",
        "POST /v1/signup -",
        "POST /v1/clusters Bearer",
      ]);
      expect(seen[2]).toContain('{"name":"demo"}');
      expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({
        ...account,
        ...{ clusterId: cluster.clusterId, adminToken: cluster.adminToken },
      });
    } finally {
      await server.close();
    }
  });

  it("keeps a saved cluster the server still has", async () => {
    const saved = {
      ...account,
      clusterId: "abcdefghijklmnopqrstuvwxyz",
      adminToken: `fltc_abcdefghijklmnopqrstuvwxyz_${"t".repeat(43)}`,
    };
    const { server, seen } = await fakeApi({
      "POST /v1/login": [200, { token: "flta_x" }],
      "GET /v1/clusters/abcdefghijklmnopqrstuvwxyz": [200, { id: saved.clusterId }],
    });
    try {
      const cluster = await ensureDemoCluster(server.url, server.caPem, path.join(dir, "kept.json"), saved);
      expect(cluster).toEqual({ clusterId: saved.clusterId, adminToken: saved.adminToken, accountToken: "flta_x" });
      expect(seen).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it("gets a saved cluster an admin token naming it when the saved one does not (root kubeconfigs need one)", async () => {
    const id = "abcdefghijklmnopqrstuvwxyz";
    const saved = { ...account, clusterId: id, adminToken: `fltc_${"t".repeat(43)}` };
    const fresh = `fltc_${id}_${"n".repeat(43)}`;
    const file = path.join(dir, "old-token.json");
    const { server, seen } = await fakeApi({
      "POST /v1/login": [200, { token: "flta_x" }],
      [`GET /v1/clusters/${id}`]: [200, { id }],
      [`POST /v1/clusters/${id}/tokens`]: [201, { id: "admin-x", token: fresh }],
    });
    try {
      const cluster = await ensureDemoCluster(server.url, server.caPem, file, saved);
      expect(cluster).toEqual({ clusterId: id, adminToken: fresh, accountToken: "flta_x" });
      expect(seen[2]).toContain('"role":"admin"');
      expect(JSON.parse(fs.readFileSync(file, "utf8")).adminToken).toBe(fresh);
    } finally {
      await server.close();
    }
  });

  it("passes cluster settings when given", async () => {
    const { server, seen } = await fakeApi({
      "POST /v1/login": [200, { token: "flta_x" }],
      "POST /v1/clusters": [201, { id: "abcdefghijklmnopqrstuvwxyz", adminToken: "t".repeat(43) }],
    });
    try {
      await ensureDemoCluster(server.url, server.caPem, path.join(dir, "settings.json"), account, {
        nodeMonitorGracePeriodSeconds: 10,
      });
      expect(seen[1]).toContain('{"name":"demo","settings":{"nodeMonitorGracePeriodSeconds":10}}');
    } finally {
      await server.close();
    }
  });

  it("fails with the status and body when the API refuses", async () => {
    const { server } = await fakeApi({ "POST /v1/login": [500, { error: { code: "internal" } }] });
    try {
      await expect(ensureDemoCluster(server.url, server.caPem, path.join(dir, "x.json"), account)).rejects.toThrow(
        /POST \/v1\/login answered 500: .*internal/,
      );
    } finally {
      await server.close();
    }
  });
});

describe("clusterUrl", () => {
  it.each([
    ["https://127.0.0.1:8787", "https://127.0.0.1:8787/clusters/abc"],
    ["https://127.0.0.1:8787/", "https://127.0.0.1:8787/clusters/abc"],
  ])("%s → %s", (base, want) => {
    expect(clusterUrl(base, "abc")).toBe(want);
  });
});
