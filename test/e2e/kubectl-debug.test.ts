// A missing subresource answers as upstream's apiserver does (404 NotFound with an empty `details`), which
// kubectl reads: `kubectl debug` patches pods/ephemeralcontainers and, on a 404, dereferences the Status'
// details to tell "the pod is missing" from "the subresource is" — without details it panicked.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, kubectlBinaries, startHarness } from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.kubectl(["run", "target", "--image=busybox:stable", "--", "sleep", "3600"]);
});

afterAll(async () => {
  await h?.stop();
});

it("a missing subresource is a 404 Status with details, as upstream's go-restful fallback answers", async () => {
  for (const path of [
    "/api/v1/namespaces/default/pods/target/ephemeralcontainers",
    "/api/v1/namespaces/default/pods/target/nosuch",
    "/api/v1/nosuch",
  ]) {
    const res = await h.api(path);
    expect([path, res.status]).toEqual([path, 404]);
    expect(JSON.parse(res.body)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server could not find the requested resource",
      reason: "NotFound",
      details: {},
      code: 404,
    });
  }
});

it.each(kubectlBinaries().map((b) => [b.name, b.path]))(
  "%s debug -it prints an error instead of panicking",
  async (_name, binary) => {
    const res = await h.kubectl(["debug", "-it", "target", "--image=busybox:stable"], {
      binary,
      allowFail: true,
      timeoutMs: 30_000,
    });
    expect(res.stderr).not.toMatch(/panic|nil pointer/);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("ephemeral containers are disabled for this cluster");
  },
);

it("debug of a missing pod says the pod is not found", async () => {
  const res = await h.kubectl(["debug", "-it", "nosuch", "--image=busybox:stable"], { allowFail: true });
  expect(res.stderr).not.toMatch(/panic|nil pointer/);
  expect(res.code).toBe(1);
  expect(res.stderr).toContain('pods "nosuch" not found');
});
