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
      // The object's pure modules, in any folder; tests needing workerd are *.workers.test.ts.
      "durable-objects/**/!(*.workers).test.ts",
    ],
  },
});
