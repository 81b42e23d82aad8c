// securityContext to runtime options, and the kubelet's runAsNonRoot verification with its messages.
import { describe, expect, it } from "vitest";
import type { Container, Pod } from "../../../kube/pod-types.ts";
import { ContainerConfigError } from "../../pod/env.ts";
import { securityOptionsOf, verifyRunAsNonRoot } from "./security-context.ts";

const pod = (spec: Partial<Pod["spec"]> = {}): Pod =>
  ({
    metadata: { name: "web", namespace: "default", uid: "u1" },
    spec: { containers: [], ...spec },
  }) as Pod;

describe("securityOptionsOf", () => {
  it("maps capabilities, escalation and seccomp; nothing asked, nothing set", () => {
    expect(securityOptionsOf(pod(), { name: "a" })).toEqual({});
    const c: Container = {
      name: "a",
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE", "CAP_CHOWN"] },
        seccompProfile: { type: "Unconfined" },
      },
    };
    expect(securityOptionsOf(pod(), c)).toEqual({
      CapAdd: ["NET_BIND_SERVICE", "CHOWN"],
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges", "seccomp=unconfined"],
    });
  });

  it("refuses a Localhost seccomp profile, from the pod or the container", () => {
    const p = pod({ securityContext: { seccompProfile: { type: "Localhost", localhostProfile: "x.json" } } });
    expect(() => securityOptionsOf(p, { name: "a" })).toThrow(ContainerConfigError);
  });
});

describe("verifyRunAsNonRoot", () => {
  const nonRoot = pod({ securityContext: { runAsNonRoot: true } });
  it("refuses an image that runs as root, a runAsUser of 0 and a named user, as the kubelet words it", () => {
    expect(() => verifyRunAsNonRoot(nonRoot, { name: "a" }, "")).toThrow(
      'container has runAsNonRoot and image will run as root (pod: "web_default(u1)", container: a)',
    );
    expect(() => verifyRunAsNonRoot(nonRoot, { name: "a", securityContext: { runAsUser: 0 } }, "")).toThrow(
      "container's runAsUser breaks non-root policy",
    );
    expect(() => verifyRunAsNonRoot(nonRoot, { name: "a" }, "nobody")).toThrow(
      "container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root",
    );
  });
  it("admits a numeric non-root image user, an explicit uid, and pods that do not ask", () => {
    expect(() => verifyRunAsNonRoot(nonRoot, { name: "a" }, "1000:1000")).not.toThrow();
    expect(() => verifyRunAsNonRoot(nonRoot, { name: "a", securityContext: { runAsUser: 65534 } }, "")).not.toThrow();
    expect(() => verifyRunAsNonRoot(pod(), { name: "a" }, "")).not.toThrow();
  });
});
