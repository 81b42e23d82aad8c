// The docker runtime against a real Podman (or Docker) API. Under CI=true these tests never skip.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BUSYBOX, configMap, Harness, makePod, podmanGate, secret } from "./testing/harness.ts";

const podman = await podmanGate("Podman tests");

describe.skipIf(podman.skip)("docker runtime on Podman", () => {
  let h: Harness;
  beforeAll(() => {
    podman.require();
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

  const sleeper = (name: string, extra: object = {}) => ({
    name,
    image: BUSYBOX,
    imagePullPolicy: "IfNotPresent" as const,
    command: ["sleep", "3600"],
    ...extra,
  });
  const running = (s: { phase: string; conditions?: { type: string; status: string }[] }) =>
    s.phase === "Running" && s.conditions?.find((c) => c.type === "Ready")?.status === "True";

  it("two containers share localhost and an emptyDir", async () => {
    h = await new Harness().start();
    const pod = makePod("pair", {
      volumes: [{ name: "shared", emptyDir: {} }],
      containers: [
        {
          name: "main",
          image: BUSYBOX,
          imagePullPolicy: "IfNotPresent",
          command: ["sh", "-c", "echo from-main > /shared/index.html && exec httpd -f -p 8080 -h /shared"],
          volumeMounts: [{ name: "shared", mountPath: "/shared" }],
        },
        sleeper("helper", { volumeMounts: [{ name: "shared", mountPath: "/data" }] }),
      ],
    });
    h.run(pod);
    const status = await h.waitFor(pod, running);
    expect(status.containerStatuses?.map((c) => [c.name, c.ready, Boolean(c.state.running)])).toEqual([
      ["main", true, true],
      ["helper", true, true],
    ]);
    expect((await h.exec("helper", ["wget", "-qO-", "http://localhost:8080/index.html"])).trim()).toBe("from-main");
    await h.exec("helper", ["sh", "-c", "echo from-helper > /data/note"]);
    expect((await h.exec("main", ["cat", "/shared/note"])).trim()).toBe("from-helper");
  });

  it("config maps and secrets surface as env vars and files; init containers run in order", async () => {
    h = await new Harness().start();
    const pod = makePod("configured", {
      restartPolicy: "Never",
      volumes: [
        { name: "cfg", configMap: { name: "settings" } },
        { name: "sec", secret: { secretName: "creds", defaultMode: 0o400 } },
        { name: "work", emptyDir: {} },
      ],
      initContainers: [
        {
          name: "first",
          image: BUSYBOX,
          imagePullPolicy: "IfNotPresent",
          command: ["sh", "-c", "echo one >> /work/order"],
          volumeMounts: [{ name: "work", mountPath: "/work" }],
        },
        {
          name: "second",
          image: BUSYBOX,
          imagePullPolicy: "IfNotPresent",
          command: ["sh", "-c", "echo two >> /work/order"],
          volumeMounts: [{ name: "work", mountPath: "/work" }],
        },
      ],
      containers: [
        {
          name: "main",
          image: BUSYBOX,
          imagePullPolicy: "IfNotPresent",
          command: ["sh", "-c"],
          args: [
            'echo "$MODE|$PASSWORD|$POD|$(MODE)" > /work/env; cat /etc/cfg/mode /etc/sec/password > /work/files; cat /work/order > /work/seen',
          ],
          env: [
            { name: "MODE", valueFrom: { configMapKeyRef: { name: "settings", key: "mode" } } },
            { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
            { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          ],
          volumeMounts: [
            { name: "cfg", mountPath: "/etc/cfg" },
            { name: "sec", mountPath: "/etc/sec" },
            { name: "work", mountPath: "/work" },
          ],
        },
      ],
    });
    h.run(pod, [configMap("settings", { mode: "fast" })], [secret("creds", { password: "hunter2" })]);
    const status = await h.waitFor(pod, (s) => s.phase === "Succeeded" || s.phase === "Failed");
    expect(status.phase).toBe("Succeeded");
    expect(status.initContainerStatuses?.map((c) => [c.name, c.state.terminated?.reason, c.ready])).toEqual([
      ["first", "Completed", true],
      ["second", "Completed", true],
    ]);
    const { readFile } = await import("node:fs/promises");
    const work = `${h.stateDir}/pods/${pod.metadata.uid}/volumes/kubernetes.io~empty-dir/work`;
    expect(await readFile(`${work}/env`, "utf8")).toBe("fast|hunter2|configured|fast\n");
    expect(await readFile(`${work}/files`, "utf8")).toBe("fasthunter2");
    expect(await readFile(`${work}/seen`, "utf8")).toBe("one\ntwo\n");
  });

  it("a missing config map holds the container in CreateContainerConfigError", async () => {
    h = await new Harness().start();
    const pod = makePod("unconfigured", {
      containers: [
        sleeper("main", { env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "absent", key: "k" } } }] }),
      ],
    });
    h.run(pod);
    const status = await h.waitFor(
      pod,
      (s) => s.containerStatuses?.[0].state.waiting?.reason === "CreateContainerConfigError",
    );
    expect(status.containerStatuses?.[0].state.waiting?.message).toBe('configmap "absent" not found');
    expect(status.phase).toBe("Pending");
  });

  it("a missing image is ErrImagePull, then ImagePullBackOff", async () => {
    h = await new Harness().start();
    const pod = makePod("nopull", {
      containers: [{ name: "main", image: "docker.io/library/flotilla-absent:1", imagePullPolicy: "IfNotPresent" }],
    });
    h.run(pod);
    await h.waitFor(pod, (s) => s.containerStatuses?.[0].state.waiting?.reason === "ErrImagePull", 60_000);
    const later = await h.waitFor(
      pod,
      (s) => s.containerStatuses?.[0].state.waiting?.reason === "ImagePullBackOff",
      60_000,
    );
    expect(later.containerStatuses?.[0].state.waiting?.message).toBe(
      'Back-off pulling image "docker.io/library/flotilla-absent:1"',
    );
  });

  it("a crashing container goes into CrashLoopBackOff with a growing back-off", async () => {
    h = await new Harness().start();
    const pod = makePod("crash", {
      containers: [{ name: "main", image: BUSYBOX, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "exit 3"] }],
    });
    h.run(pod);
    const first = await h.waitFor(pod, (s) => s.containerStatuses?.[0].state.waiting?.reason === "CrashLoopBackOff");
    const c1 = first.containerStatuses![0];
    expect(c1.restartCount).toBe(1);
    expect(c1.state.waiting?.message).toMatch(/^back-off 10s restarting failed container=main pod=crash_default\(/);
    expect(c1.lastState.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(first.phase).toBe("Running");
    const second = await h.waitFor(
      pod,
      (s) => s.containerStatuses?.[0].state.waiting?.message?.startsWith("back-off 20s") === true,
      30_000,
    );
    expect(second.containerStatuses![0].restartCount).toBe(2);
    // Old attempts are removed: the current and the previous instance remain (plus the infra container).
    expect((await h.containers()).filter((c) => c.name.startsWith("k8s_main_")).length).toBeLessThanOrEqual(2);
  }, 60_000);

  it("a restarted runtime adopts the running containers and starts no duplicates", async () => {
    h = await new Harness().start();
    const pod = makePod("adopted", { containers: [sleeper("main"), sleeper("side")] });
    const assignment = h.run(pod);
    await h.waitFor(pod, running);
    const before = await h.containers();
    expect(before.length).toBe(3);
    await h.stop();

    const again = new Harness();
    Object.assign(again, { nodeName: h.nodeName, stateDir: h.stateDir });
    await again.start([assignment]);
    h = again;
    const status = await h.waitFor(pod, running);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await h.containers()).toEqual(before);
    expect(status.containerStatuses?.map((c) => c.restartCount)).toEqual([0, 0]);
  });

  it("deleting a pod stops its containers within the grace period and removes them", async () => {
    h = await new Harness().start();
    const pod = makePod("doomed", {
      terminationGracePeriodSeconds: 3,
      containers: [
        {
          name: "polite",
          image: BUSYBOX,
          imagePullPolicy: "IfNotPresent",
          command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"],
        },
        // PID 1 without a handler ignores SIGTERM: it takes the SIGKILL at the end of the grace period.
        sleeper("stubborn"),
      ],
    });
    const assignment = h.run(pod);
    await h.waitFor(pod, running);
    const start = Date.now();
    const deleting = {
      ...assignment,
      pod: {
        ...pod,
        metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 3 },
      },
    };
    h.runtime.apply(deleting);
    while (!h.terminated.has(pod.metadata.uid!) && Date.now() - start < 15_000)
      await new Promise((r) => setTimeout(r, 100));
    const elapsed = Date.now() - start;
    expect(h.terminated.has(pod.metadata.uid!)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(2500);
    expect(elapsed).toBeLessThan(3000 + 3000);
    expect(await h.containers()).toEqual([]);
    const final = h.statuses.get(pod.metadata.uid!)!;
    expect(final.containerStatuses?.find((c) => c.name === "polite")?.state.terminated?.exitCode).toBe(0);
    expect(final.containerStatuses?.find((c) => c.name === "stubborn")?.state.terminated?.exitCode).toBe(137);
    expect(
      h.events
        .filter((e) => e.reason === "Killing")
        .map((e) => e.message)
        .sort(),
    ).toEqual(["Stopping container polite", "Stopping container stubborn"]);
  });

  it("a failing liveness probe restarts the container; readiness gates Ready", async () => {
    h = await new Harness().start();
    const pod = makePod("probed", {
      terminationGracePeriodSeconds: 1,
      containers: [
        sleeper("live", {
          livenessProbe: { exec: { command: ["test", "-e", "/tmp/healthy"] }, periodSeconds: 1, failureThreshold: 2 },
        }),
        sleeper("ready", {
          readinessProbe: { exec: { command: ["test", "-e", "/tmp/ready"] }, periodSeconds: 1 },
        }),
      ],
    });
    h.run(pod);
    const restarted = await h.waitFor(pod, (s) => (s.containerStatuses?.[0].restartCount ?? 0) >= 1, 30_000);
    expect(restarted.containerStatuses?.[1].ready).toBe(false);
    expect(restarted.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "ContainersNotReady",
    });
    expect(h.events.some((e) => e.reason === "Unhealthy" && e.message.startsWith("Liveness probe failed"))).toBe(true);
    expect(h.events.some((e) => e.message === "Container live failed liveness probe, will be restarted")).toBe(true);
    await h.exec("ready", ["touch", "/tmp/ready"]);
    const ready = await h.waitFor(pod, (s) => s.containerStatuses?.[1].ready === true, 15_000);
    expect(ready.containerStatuses?.[1].ready).toBe(true);
  }, 60_000);
});
