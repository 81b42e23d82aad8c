// Issue 20's Pod Security "must show" items with the real kubectl and a real agent on Podman: a namespace
// labelled enforce=restricted refuses a privileged pod listing each violation, warn=baseline prints kubectl's
// `Warning:` lines and admits, and a pod that drops all capabilities and runs as non-root is admitted and
// really runs without them (CapEff in /proc/1/status); runAsNonRoot over a root image fails as the kubelet's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { untilNodesReady } from "./nodes-ready.ts";
import { until } from "./poll.ts";

const podman = await podmanGate("pod security e2e");
const NODE = `e2e-psa-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

const privileged = (name: string) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { containers: [{ name: "app", image: "busybox:stable", securityContext: { privileged: true } }] },
  });

const hardened = (name: string, container: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "app",
          image: "busybox:stable",
          command: ["sleep", "3600"],
          securityContext: {
            runAsUser: 1000,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
          },
          ...container,
        },
      ],
    },
  });

describe.skipIf(podman.skip)("Pod Security admission and the agent", () => {
  let h: Harness;
  const run = (args: string[], stdin?: string) => h.kubectl(args, { allowFail: true, stdin });

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    await untilNodesReady(h, 1);
  }, 300_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("enforce=restricted refuses a privileged pod with upstream's message listing each violation", async () => {
    await run(["create", "namespace", "strict"]);
    const labelled = await run(["label", "ns", "strict", "pod-security.kubernetes.io/enforce=restricted"]);
    expect(labelled.stdout, labelled.stderr).toBe("namespace/strict labeled\n");
    const refused = await run(["apply", "-n", "strict", "-f", "-"], privileged("priv"));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'pods "priv" is forbidden: violates PodSecurity "restricted:latest": privileged (container "app" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    expect((await run(["get", "pod", "priv", "-n", "strict"])).code).not.toBe(0);
  });

  it("a Deployment in the restricted namespace is admitted with a warning about its pod template", async () => {
    const created = await run(["create", "deployment", "web", "--image=busybox:stable", "-n", "strict"]);
    expect(created.stdout, created.stderr).toBe("deployment.apps/web created\n");
    expect(created.stderr).toContain(
      'Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "busybox" must set securityContext.allowPrivilegeEscalation=false)',
    );
    expect((await run(["delete", "deployment", "web", "-n", "strict"])).code).toBe(0);
  });

  it("warn=baseline prints kubectl's Warning line and admits", async () => {
    await run(["create", "namespace", "warned"]);
    await run(["label", "ns", "warned", "pod-security.kubernetes.io/warn=baseline"]);
    const admitted = await run(["apply", "-n", "warned", "-f", "-"], privileged("priv"));
    expect(admitted.code, admitted.stderr).toBe(0);
    expect(admitted.stderr).toContain(
      'Warning: would violate PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
    );
    expect(admitted.stdout).toBe("pod/priv created\n");
  });

  it("a hardened pod is admitted under restricted and its process really has no capabilities", async () => {
    const created = await run(["apply", "-n", "strict", "-f", "-"], hardened("hard"));
    expect(created.stdout, created.stderr).toBe("pod/hard created\n");
    await h.kubectl(["wait", "-n", "strict", "--for=condition=Ready", "pod/hard", "--timeout=120s"], {
      timeoutMs: 130_000,
    });
    const status = (await h.kubectl(["exec", "-n", "strict", "hard", "--", "cat", "/proc/1/status"])).stdout;
    expect(status).toMatch(/^CapEff:\s+0000000000000000$/m);
    expect(status).toMatch(/^CapBnd:\s+0000000000000000$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(status).toMatch(/^Uid:\s+1000\s/m);
  });

  it("runAsNonRoot over an image that runs as root fails with the kubelet's reason, never runs as root", async () => {
    await run(["create", "namespace", "loose"]);
    const pod = hardened("rooty", { securityContext: { allowPrivilegeEscalation: false } });
    expect((await run(["apply", "-n", "loose", "-f", "-"], pod)).code).toBe(0);
    const waiting = await until("rooty waiting with CreateContainerConfigError", async () => {
      const out = await run([
        "get",
        "pod",
        "rooty",
        "-n",
        "loose",
        "-o",
        "jsonpath={.status.containerStatuses[0].state.waiting}",
      ]);
      return out.stdout.includes("CreateContainerConfigError") ? out.stdout : undefined;
    });
    expect(waiting).toContain("container has runAsNonRoot and image will run as root");
  });
});
