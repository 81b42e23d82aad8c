// Issue 8 (port-forward) end to end: `kubectl port-forward` through the node tunnel to a busybox httpd pod on
// an agent on Podman, with the default kubectl, 1.33 and 1.31 (WebSockets by default) and 1.30 with
// KUBECTL_PORT_FORWARD_WEBSOCKETS=true: sequential and parallel requests, two ports in one command, a port
// nothing listens on (upstream's error for that connection, the next one still served), and kubectl 1.27
// (SPDY only) refused with a message that says what to use. Prints request latency through the forward.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { findKubectl, kubectlEnv } from "./kubectl.ts";
import { until } from "./poll.ts";

const podman = await podmanGate("port-forward e2e");

const IMAGE = "busybox:stable";
const NODE = `e2e-pf-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

const POD = JSON.stringify({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web" },
  spec: {
    nodeName: NODE,
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: "httpd",
        image: IMAGE,
        command: [
          "sh",
          "-c",
          "mkdir -p /a /b && echo hello-8080 > /a/index.html && echo hello-8081 > /b/index.html && " +
            "dd if=/dev/urandom of=/a/big bs=1024 count=5120 2>/dev/null && " +
            "httpd -p 8081 -h /b && exec httpd -f -p 8080 -h /a",
        ],
        ports: [{ containerPort: 8080 }, { containerPort: 8081 }],
      },
    ],
  },
});

/** A kubectl build beside the dispatcher, when there. */
function build(version: string): string | undefined {
  const found = findKubectl();
  if (!found) return undefined;
  const candidate = path.join(path.dirname(fs.realpathSync(found)), `kubectl.${version}`);
  return fs.existsSync(candidate) ? candidate : undefined;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Bytes of one GET (fresh connection). */
function download(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: urlPath, agent: false }, (res) => {
        let n = 0;
        res.on("data", (c: Buffer) => {
          n += c.byteLength;
        });
        res.on("end", () => resolve(n));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/** One GET on a fresh connection; the body, or the error's message. */
function get(port: number): Promise<{ ok: boolean; body: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 15_000 }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ ok: res.statusCode === 200, body }));
      res.on("error", (e) => resolve({ ok: false, body: e.message }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) => resolve({ ok: false, body: e.message }));
  });
}

interface Forward {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: () => number | null | undefined;
  stop(): Promise<void>;
}

describe.skipIf(podman.skip)("kubectl port-forward through the node tunnel", () => {
  let h: Harness;
  let cacheN = 0;

  /** Starts `kubectl port-forward pod/web <mappings>` and waits until it listens on every mapping. */
  async function forward(binary: string | undefined, mappings: string[], env: Record<string, string> = {}) {
    const base = kubectlEnv(h.flotilla.kubeconfigPath, path.join(h.home, `pf-cache-${cacheN++}`));
    const child = spawn(binary ?? "kubectl", ["port-forward", "pod/web", "--address", "127.0.0.1", ...mappings], {
      env: { ...base, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let code: number | null | undefined;
    child.stdout?.on("data", (c) => (out += c));
    child.stderr?.on("data", (c) => (err += c));
    const closed = new Promise<void>((resolve) =>
      child.on("close", (c) => {
        code = c;
        resolve();
      }),
    );
    const fwd: Forward = {
      child,
      stdout: () => out,
      stderr: () => err,
      exited: () => code,
      async stop() {
        if (code === undefined) child.kill("SIGINT");
        await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
        if (code === undefined) child.kill("SIGKILL");
      },
    };
    await until(
      `port-forward listening (${mappings.join(" ")})`,
      async () => {
        if (code !== undefined) throw new Error(`kubectl port-forward exited ${code}: ${err}`);
        return mappings.every((m) => out.includes(`Forwarding from 127.0.0.1:${m.split(":")[0]} ->`)) || undefined;
      },
      30_000,
    );
    return fwd;
  }

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    await h.kubectl(["apply", "-f", "-"], { stdin: POD });
    await until(
      "web running",
      async () => {
        const pod = JSON.parse((await h.kubectl(["get", "pod", "web", "-o", "json"])).stdout);
        return pod.status?.phase === "Running" ? true : undefined;
      },
      120_000,
    );
  }, 180_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  const builds: [string, string | undefined, Record<string, string>][] = [
    ["kubectl (default)", undefined, {}],
    ["kubectl 1.33", build("1.33"), {}],
    ["kubectl 1.31", build("1.31"), {}],
    [
      "kubectl 1.30 with KUBECTL_PORT_FORWARD_WEBSOCKETS=true",
      build("1.30"),
      { KUBECTL_PORT_FORWARD_WEBSOCKETS: "true" },
    ],
  ];

  it.each(builds)(
    "%s: 20 sequential and 5 parallel requests reach the container",
    async (name, binary, env) => {
      if (name !== "kubectl (default)" && !binary) return;
      const local = await freePort();
      const fwd = await forward(binary, [`${local}:8080`], env);
      try {
        const times: number[] = [];
        for (let i = 0; i < 20; i++) {
          const started = performance.now();
          const r = await get(local);
          times.push(performance.now() - started);
          expect(r, `request ${i}: ${fwd.stderr()}`).toEqual({ ok: true, body: "hello-8080\n" });
        }
        const parallel = await Promise.all([0, 1, 2, 3, 4].map(() => get(local)));
        expect(parallel).toEqual(Array(5).fill({ ok: true, body: "hello-8080\n" }));
        times.sort((a, b) => a - b);
        console.log(
          `port-forward ${name}: sequential GET p50 ${times[10].toFixed(1)} ms, max ${times[19].toFixed(1)} ms`,
        );
        expect(fwd.stdout()).toContain("Handling connection for");
      } finally {
        await fwd.stop();
      }
    },
    120_000,
  );

  it("carries a 5 MiB download whole (flow control end to end)", async () => {
    const local = await freePort();
    const fwd = await forward(undefined, [`${local}:8080`]);
    try {
      const started = performance.now();
      expect(await download(local, "/big")).toBe(5 * 1024 * 1024);
      const seconds = (performance.now() - started) / 1000;
      console.log(`port-forward download: 5 MiB in ${seconds.toFixed(2)} s (${(5 / seconds).toFixed(1)} MiB/s)`);
    } finally {
      await fwd.stop();
    }
  }, 60_000);

  it("forwards two ports in one command", async () => {
    const [a, b] = [await freePort(), await freePort()];
    const fwd = await forward(undefined, [`${a}:8080`, `${b}:8081`]);
    try {
      expect(await get(a)).toEqual({ ok: true, body: "hello-8080\n" });
      expect(await get(b)).toEqual({ ok: true, body: "hello-8081\n" });
      const both = await Promise.all([get(a), get(b), get(a), get(b)]);
      expect(both.map((r) => r.body)).toEqual(["hello-8080\n", "hello-8081\n", "hello-8080\n", "hello-8081\n"]);
    } finally {
      await fwd.stop();
    }
  }, 60_000);

  it.each(builds)(
    "%s: a port nothing listens on gets upstream's error on that connection",
    async (name, binary, env) => {
      if (name !== "kubectl (default)" && !binary) return;
      const [good, dead] = [await freePort(), await freePort()];
      const fwd = await forward(binary, [`${good}:8080`, `${dead}:9999`], env);
      try {
        expect(await get(good)).toEqual({ ok: true, body: "hello-8080\n" });
        expect((await get(dead)).ok).toBe(false);
        await until("the error printed", async () =>
          /error forwarding port 9999 to pod web, uid [0-9a-f-]+: dial tcp [0-9.]+:9999: connect: connection refused/.test(
            fwd.stderr(),
          )
            ? true
            : undefined,
        );
        expect(fwd.stderr()).toMatch(/an error occurred forwarding \d+ -> 9999|An error occurred forwarding/);
        // What kubectl does next is its own choice: builds that close the connection on an error message
        // (client-go's handleConnection) end the command; others would go on serving the next connection
        // (the agent's session does: session.test.ts).
        await new Promise((r) => setTimeout(r, 1500));
        const after = await get(good);
        console.log(
          `port-forward ${name} after a dead port: ${fwd.exited() === undefined ? "still forwarding" : `exited ${fwd.exited()}`}, next request ${after.ok ? "served" : `failed (${after.body})`}`,
        );
        if (fwd.exited() === undefined) expect(after).toEqual({ ok: true, body: "hello-8080\n" });
        // client-go ≥ 1.29 closes the connection after any error message: kubectl's own exit, as against a kubelet.
        else expect(fwd.stderr()).toContain("error: lost connection to pod");
      } finally {
        await fwd.stop();
      }
    },
    60_000,
  );

  it("refuses SPDY (kubectl 1.27) with a message naming the kubectl that works", async () => {
    const old = build("1.27");
    if (!old) return;
    const local = await freePort();
    const base = kubectlEnv(h.flotilla.kubeconfigPath, path.join(h.home, "pf-cache-old"));
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(old, ["port-forward", "pod/web", "--address", "127.0.0.1", `${local}:8080`], { env: base });
      let stderr = "";
      child.stderr.on("data", (c) => (stderr += c));
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
      // A connection, in case this build dials only when the first one comes.
      setTimeout(() => void get(local), 2000);
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("port-forward needs kubectl 1.31 or newer");
  }, 60_000);
});
