import { defineConfig } from "vitest/config";

// Pure code (kube/, scripts/, agent/) runs under plain Node.
export default defineConfig({
  test: {
    include: [
      "kube/**/*.test.ts",
      "web/**/*.test.ts",
      "scripts/**/*.test.ts",
      "cli/**/*.test.ts",
      "agent/**/!(*.podman).test.ts",
      "durable-objects/**/registry/**/*.test.ts",
      "durable-objects/**/scheduler/**/!(*.workers).test.ts",
      "durable-objects/**/nodes/**/!(*.workers).test.ts",
      "durable-objects/**/controllers/**/!(*.workers).test.ts",
      "durable-objects/**/metrics/**/!(*.workers).test.ts",
      "durable-objects/**/auth/**/!(*.workers).test.ts",
    ],
  },
});
