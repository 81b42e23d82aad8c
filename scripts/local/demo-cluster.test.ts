import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  bootstrapCluster,
  clusterUrl,
  isDemoCluster,
  loadOrCreateDemoCluster,
  newAdminToken,
  newClusterId,
} from "./demo-cluster.ts";
import { readBody, startTestHttpsServer } from "./test-server.ts";

// Tests here generate RSA keys (CPU-bound): leave room on a loaded machine.
const KEYGEN_TIMEOUT = { timeout: 30_000 };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-demo-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("newClusterId / newAdminToken", () => {
  it("maps random bytes onto 20 lowercase base32 characters", () => {
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i * 8 + 7));
    expect(newClusterId(bytes)).toBe("hpx7hpx7hpx7hpx7hpx7");
  });

  it("produces distinct DNS-label ids and 43-char base64url tokens", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newClusterId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{20}$/);
    expect(newAdminToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("isDemoCluster", () => {
  it.each([
    [{ clusterId: "abc", adminToken: "x".repeat(43) }, true],
    [{ clusterId: "ABC", adminToken: "x".repeat(43) }, false],
    [{ clusterId: "a/b", adminToken: "x".repeat(43) }, false],
    [{ clusterId: "abc", adminToken: "short" }, false],
    [{ clusterId: "abc" }, false],
    [null, false],
    ["abc", false],
  ])("%j → %s", (value, ok) => {
    expect(isDemoCluster(value)).toBe(ok);
  });
});

describe("loadOrCreateDemoCluster", () => {
  it("creates a private file once and returns the same cluster afterwards", () => {
    const file = path.join(dir, "demo-cluster.json");
    const first = loadOrCreateDemoCluster(file);
    expect(isDemoCluster(first)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDemoCluster(file)).toEqual(first);
  });

  it("refuses to overwrite a damaged file", () => {
    const file = path.join(dir, "damaged.json");
    fs.writeFileSync(file, "{not json");
    expect(() => loadOrCreateDemoCluster(file)).toThrow(/not a valid demo cluster file/);
    expect(fs.readFileSync(file, "utf8")).toBe("{not json");
  });
});

describe("bootstrapCluster", KEYGEN_TIMEOUT, () => {
  const cluster = { clusterId: "abcdefghijklmnopqrst", adminToken: "t".repeat(43) };

  it("POSTs the cluster as JSON over HTTPS trusting the given CA", async () => {
    const seen: { method?: string; url?: string; type?: string; body?: string } = {};
    const server = await startTestHttpsServer(async (req, res) => {
      Object.assign(seen, { method: req.method, url: req.url, type: req.headers["content-type"] });
      seen.body = await readBody(req);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ clusterId: cluster.clusterId }));
    });
    try {
      await bootstrapCluster(server.url, server.caPem, cluster);
      expect(seen).toEqual({
        method: "POST",
        url: "/__local/bootstrap",
        type: "application/json",
        body: JSON.stringify(cluster),
      });
    } finally {
      await server.close();
    }
  });

  it("fails with the status and a hint when the route is off", async () => {
    const server = await startTestHttpsServer((_req, res) => {
      res.statusCode = 404;
      res.end("404 page not found");
    });
    try {
      await expect(bootstrapCluster(server.url, server.caPem, cluster)).rejects.toThrow(
        /answered 404 \(is FLOTILLA_LOCAL_BOOTSTRAP set to true\?\): 404 page not found/,
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
