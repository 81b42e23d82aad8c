import { defineConfig } from "vitest/config";

// Real containers through a Podman (or Docker) API: the agent's runtime, and end-to-end tests with
// agents joined to wrangler dev (`npm run test:podman`, the last step of `npm test`). Needs DOCKER_HOST
// (or a usual socket) and the busybox test image (agent/runtime/docker/testing/); skipped with a warning
// when they are missing, except under CI=true.
export default defineConfig({
  test: {
    include: ["agent/**/*.podman.test.ts", "test/e2e/**/*.podman.test.ts"],
    pool: "forks",
    testTimeout: 180_000,
    // In CI a failed test runs once more; one that passes then is shown "(retry x1)" in the log, a flake to
    // chase rather than a red build (each full run met a different rare one: ordering in workerd's test
    // runtime, ports taken between probe and bind, a write racing the scheduler).
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 180_000,
    // Two files at a time: most of their time is waiting on containers, agents and timers, not CPU.
    maxWorkers: 2,
  },
});
