import { describe, expect, it } from "vitest";
import { normalizeImage, pullPolicyOf } from "./images.ts";

describe("pullPolicyOf", () => {
  it.each([
    ["busybox", undefined, "Always"],
    ["busybox:latest", undefined, "Always"],
    ["busybox:1.36", undefined, "IfNotPresent"],
    ["localhost:5000/app", undefined, "Always"],
    ["localhost:5000/app:v1", undefined, "IfNotPresent"],
    ["busybox@sha256:abc", undefined, "IfNotPresent"],
    ["busybox", "Never", "Never"],
  ] as const)("%s (%s) → %s", (image, policy, expected) => {
    expect(pullPolicyOf({ name: "c", image, imagePullPolicy: policy })).toBe(expected);
  });
});

describe("normalizeImage", () => {
  it.each([
    ["busybox", "docker.io/library/busybox:latest"],
    ["library/busybox:1", "docker.io/library/busybox:1"],
    ["quay.io/x/y", "quay.io/x/y:latest"],
    ["localhost:5000/app", "localhost:5000/app:latest"],
  ])("%s → %s", (image, full) => expect(normalizeImage(image)).toBe(full));
});
