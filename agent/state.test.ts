import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import type { PodAssignment } from "../kube/agent-protocol.ts";
import { AssignmentStore, loadState, saveState } from "./state.ts";

let dir = "";
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("keeps the node credential in a 0600 file inside a 0700 directory", async () => {
  dir = join(await mkdtemp(join(tmpdir(), "agent-state-")), "state");
  expect(await loadState(dir)).toBeUndefined();
  const state = { server: "https://x", nodeName: "n1", nodeCredential: "secret", heartbeatSeconds: 10, joinedAt: "t" };
  await saveState(dir, state);
  expect(await loadState(dir)).toEqual(state);
  expect((await stat(join(dir, "node.json"))).mode & 0o777).toBe(0o600);
  expect((await stat(dir)).mode & 0o777).toBe(0o700);
  expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
});

it("stores, lists and removes pod assignments, skipping torn files", async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-state-"));
  await saveState(dir, { server: "s", nodeName: "n", nodeCredential: "c", heartbeatSeconds: 10, joinedAt: "t" });
  const store = new AssignmentStore(dir);
  const assignment = (uid: string): PodAssignment => ({
    pod: { apiVersion: "v1", kind: "Pod", metadata: { uid, name: uid }, spec: { containers: [] } },
    configMaps: {},
    secrets: {},
  });
  await store.save(assignment("a"));
  await store.save(assignment("b"));
  await writeFile(join(dir, "assignments", "torn.json"), "{");
  expect((await store.loadAll()).map((a) => a.pod.metadata.uid).sort()).toEqual(["a", "b"]);
  expect((await stat(join(dir, "assignments", "a.json"))).mode & 0o777).toBe(0o600);
  await store.remove("a");
  expect((await store.loadAll()).map((a) => a.pod.metadata.uid)).toEqual(["b"]);
});
