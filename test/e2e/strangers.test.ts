// Strangers cost nothing (DESIGN.md, "Tenancy and security"): requests to cluster ids that /v1 never
// created answer 404 (401 at the server's root, where the token names the cluster) and leave no Durable
// Object storage behind — no SQLite file, no alarm.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { homePaths } from "../../scripts/local/home.ts";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

/**
 * The SQLite databases under the persisted Durable Object storage: one per object that ever touched its storage
 * (and miniflare's metadata.sqlite). Their -wal/-shm journals come and go with checkpoints, so are not counted.
 */
function durableObjectFiles(): string[] {
  const root = path.join(homePaths(h.home).state, "v3", "do");
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile() && d.name.endsWith(".sqlite"))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

/** Shaped as /v1's ids are (26 base32 letters), so only the cluster index can tell it names nothing. */
const randomId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(26)), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("");

/** A JWT claiming cluster `id` as its issuer, as a ServiceAccount token is routed at the root; unsigned. */
function forgedJwt(id: string): string {
  const claims = Buffer.from(JSON.stringify({ iss: `https://127.0.0.1/clusters/${id}`, sub: "x" })).toString(
    "base64url",
  );
  return `eyJhbGciOiJSUzI1NiJ9.${claims}.c2ln`;
}

/**
 * The requests a stranger might send: kubectl reads, writes with a body, the agent protocol, tunnels, public
 * URLs; at the server's root with tokens that name random clusters.
 */
function strangerRequest(i: number): { path: string; method: string; body?: string; token?: string } {
  const id = randomId();
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const shapes = [
    { path: "/api/v1/namespaces/default/pods", method: "GET", token: `fltc_${id}_${secret}` },
    { path: "/version", method: "GET", token: forgedJwt(id) },
    { path: "/api/v1/namespaces/default/configmaps", method: "POST", body: "{}", token: `fltc_${id}_${secret}` },
    { path: "/agent/sync", method: "POST", body: "{}", token: `fltc_${id}_${secret}` },
    { path: `/clusters/${id}/api/v1/namespaces/default/pods`, method: "GET" },
    { path: `/clusters/${id}/version`, method: "GET", token: "fltc_guessed" },
    {
      path: `/clusters/${id}/api/v1/namespaces/default/configmaps`,
      method: "POST",
      body: JSON.stringify({ metadata: { name: "x" } }),
    },
    { path: `/clusters/${id}/agent/join`, method: "POST", body: "{}", token: "fltc_guessed" },
    { path: `/clusters/${id}/agent/sync`, method: "POST", body: "{}" },
    { path: `/clusters/${id}/agent/tunnel`, method: "GET" },
    { path: `/public/${id}/default/web/`, method: "GET" },
  ];
  return shapes[i % shapes.length];
}

it("1,000 requests to random cluster ids answer 404 (401 at the root) and create no Durable Object storage", async () => {
  const before = durableObjectFiles();
  expect(before.length).toBeGreaterThan(0); // the demo cluster's own object is there to be counted
  const statuses = new Map<number, number>();
  const notStatus: string[] = [];
  const total = 1000;
  const concurrency = 8;
  let next = 0;
  let atRoot = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const req = strangerRequest(next++);
        if (!/^\/(clusters|public)\//.test(req.path)) atRoot++;
        const headers: Record<string, string> = {};
        if (req.token) headers.authorization = `Bearer ${req.token}`;
        if (req.body) headers["content-type"] = "application/json";
        const res = await httpsRequest(`${h.flotilla.url}${req.path}`, {
          method: req.method,
          ca: h.flotilla.caPem,
          headers,
          body: req.body,
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const body = JSON.parse(res.body);
        if (body.kind !== "Status" || body.code !== res.status)
          notStatus.push(`${req.method} ${req.path}: ${res.body}`);
      }
    }),
  );
  const after = durableObjectFiles();
  console.log(
    `strangers: ${total} requests ${JSON.stringify(Object.fromEntries(statuses))}; DO storage files before ${before.length}, after ${after.length}`,
  );
  expect(notStatus).toEqual([]);
  expect(atRoot).toBeGreaterThan(0);
  expect(Object.fromEntries(statuses)).toEqual({ 401: atRoot, 404: total - atRoot });
  expect(after).toEqual(before);
});
