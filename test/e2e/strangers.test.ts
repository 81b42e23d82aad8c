// Strangers cost nothing (DESIGN.md, "Tenancy and security"): requests to cluster ids that /v1 never
// created answer 404 and leave no Durable Object storage behind — no SQLite file, no alarm.
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

/** The requests a stranger might send: kubectl reads, writes with a body, the agent protocol, tunnels, public URLs. */
function strangerRequest(i: number): { path: string; method: string; body?: string; token?: string } {
  const id = randomId();
  const shapes = [
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

it("1,000 requests to random cluster ids answer 404 and create no Durable Object storage", async () => {
  const before = durableObjectFiles();
  expect(before.length).toBeGreaterThan(0); // the demo cluster's own object is there to be counted
  const statuses = new Map<number, number>();
  const notStatus: string[] = [];
  const total = 1000;
  const concurrency = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const req = strangerRequest(next++);
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
  expect(Object.fromEntries(statuses)).toEqual({ 404: total });
  expect(after).toEqual(before);
});
