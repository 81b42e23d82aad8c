import { defineConfig } from "vitest/config";

// Whole-system tests: each file starts its own wrangler dev (workerd) on a free port and drives the real
// kubectl. Two files at a time: most of a file's time is its server starting and waiting on timers.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    // Tests with agents on real containers run with the Podman ones (vitest.podman.config.ts).
    exclude: ["test/e2e/**/*.podman.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 120_000,
    // In CI a failed test runs once more; one that passes then is shown "(retry x1)" in the log, a flake to
    // chase rather than a red build (each full run met a different rare one: ordering in workerd's test
    // runtime, ports taken between probe and bind, a write racing the scheduler).
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
