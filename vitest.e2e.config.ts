import { defineConfig } from "vitest/config";

// Whole-system tests: each file starts its own wrangler dev (workerd) and drives the real kubectl.
// Files run one after another so servers never compete for CPU or ports.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    // Tests with agents on real containers run with the Podman ones (vitest.podman.config.ts).
    exclude: ["test/e2e/**/*.podman.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
