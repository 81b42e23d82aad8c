// The docker runtime against a real Podman (or Docker) API. Under CI=true these tests never skip.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, configMap, Harness, makePod, podmanUnavailable, secret } from "./testing/harness.ts";

const unavailable = await podmanUnavailable();
const inCI = process.env.CI === "true" || process.env.CI === "1";
if (unavailable && !inCI) console.warn(`Podman tests skipped: ${unavailable}`);

describe.skipIf(Boolean(unavailable) && !inCI)("docker runtime on Podman", () => {
  let h: Harness;
  beforeAll(() => {
    if (unavailable) throw new Error(`Podman is required under CI=true: ${unavailable}`);
  });
  afterEach(async () => {
    await h?.cleanup();
  });

  it("runs a command to completion: Succeeded, Completed, exit code 0", async () => {
    h = await new Harness().start();
    const pod = makePod("hello", {
      restartPolicy: "Never",
      containers: [{ name: "main", image: BUSYBOX, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "echo hi"] }],
    });
    h.run(pod);
    const status = await h.waitFor(pod, (s) => s.phase === "Succeeded");
    const main = status.containerStatuses![0];
    expect(main.state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(main.restartCount).toBe(0);
    expect(status.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(status.startTime).toBeTruthy();
    expect(status.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "PodCompleted",
    });
    expect(h.events.map((e) => e.reason)).toEqual(expect.arrayContaining(["Pulled", "Created", "Started"]));
  });
});
