import { defineConfig } from "vitest/config";

// The agent's runtime against a real Podman (or Docker) API: `npm run test:podman`.
// Needs DOCKER_HOST (or a usual socket) and the busybox test image (agent/runtime/docker/testing/).
export default defineConfig({
  test: {
    include: ["agent/**/*.podman.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
