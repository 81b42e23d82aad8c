// Issue 8 (interactive streams) end to end on an agent on Podman, with the real kubectl driven through a
// real terminal (tmux): `kubectl exec -it` runs typed commands, follows a resize and exits with the shell's
// code; `kubectl run -i -t` attaches to a fresh pod's shell; `kubectl attach -i` feeds a process that reads
// stdin; and a WebSocket echo server in a pod (the host's Node chrooted from a hostPath of "/", inside the
// pod's network namespace) is reached through pods/proxy and services/proxy, by the API path with the
// token and through `kubectl proxy`, and through the public URL of its published Service.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWebSocket, type WsConnection } from "../../agent/tunnel/ws-client.ts";
import { homePaths } from "../../scripts/local/home.ts";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { findKubectl } from "./kubectl.ts";
import { until } from "./poll.ts";
import { Terminal } from "./terminal.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("interactive e2e");

const IMAGE = "busybox:stable";
const NODE = `e2e-i-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
/** The issue asks for kubectl 1.33: its build beside the dispatcher (which picks the server's minor), when there. */
const KUBECTL_133 = (() => {
  const found = findKubectl();
  const candidate = found && path.join(path.dirname(fs.realpathSync(found)), "kubectl.1.33");
  return candidate && fs.existsSync(candidate) ? candidate : undefined;
})();
const BINARIES = ["kubectl", ...(KUBECTL_133 ? [KUBECTL_133] : [])];

const ECHO_SCRIPT = fileURLToPath(new URL("./fixtures/ws-echo.mjs", import.meta.url));

const pod = (name: string, container: Json, extra: Json = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels: { app: name } },
  spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, containers: [container], ...extra },
});

const MANIFEST = JSON.stringify({
  apiVersion: "v1",
  kind: "List",
  items: [
    pod("shell", { name: "main", image: IMAGE, command: ["sleep", "3600"] }),
    pod("reader", {
      name: "main",
      image: IMAGE,
      stdin: true,
      stdinOnce: true,
      command: ["sh", "-c", "while read l; do echo got:$l; done; echo bye"],
    }),
    pod(
      "wsecho",
      {
        name: "main",
        image: IMAGE,
        command: ["chroot", "/host", process.execPath, ECHO_SCRIPT],
        env: [{ name: "POD_NAME", value: "wsecho" }],
        ports: [{ name: "ws", containerPort: 8080 }],
        volumeMounts: [{ name: "host", mountPath: "/host", readOnly: true }],
      },
      { volumes: [{ name: "host", hostPath: { path: "/" } }] },
    ),
    {
      apiVersion: "v1",
      kind: "Service",
      // Published: its public URL takes WebSockets too (serviceProxy serves both).
      metadata: { name: "wsecho", annotations: { "flotilla.dev/public": "true" } },
      spec: { selector: { app: "wsecho" }, ports: [{ name: "ws", port: 80, targetPort: "ws" }] },
    },
  ],
});

/** Collects a WebSocket's messages as text. */
function collect(ws: WsConnection) {
  const messages: string[] = [];
  ws.onMessage = (data, binary) => messages.push(binary ? `bin:${[...data].join(",")}` : data.toString("utf8"));
  const closed = new Promise<void>((resolve) => (ws.onClose = () => resolve()));
  const waitFor = (count: number) =>
    until(`${count} messages`, async () => (messages.length >= count ? true : undefined), 15_000, 50);
  return { messages, closed, waitFor };
}

describe.skipIf(podman.skip)("attach, exec -it and WebSocket proxying", () => {
  let h: Harness;
  let kubectlEnv = "";
  /** A kubectl command line for a terminal: our kubeconfig, the given binary (1.33 when there by default). */
  const kubectlCommand = (binary = KUBECTL_133 ?? "kubectl") => `env ${kubectlEnv} ${binary}`;
  const phase = async (name: string) =>
    (JSON.parse((await h.kubectl(["get", "pod", name, "-o", "json"])).stdout) as Json).status?.phase;

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    await h.kubectl(["apply", "-f", "-"], { stdin: MANIFEST });
    for (const name of ["shell", "reader", "wsecho"])
      await until(`${name} running`, async () => ((await phase(name)) === "Running" ? true : undefined), 120_000);
    kubectlEnv = `KUBECONFIG=${h.flotilla.kubeconfigPath} KUBECACHEDIR=${homePaths(h.home).kubeCache}`;
  }, 240_000);

  afterAll(async () => {
    Terminal.killServer();
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it.each(BINARIES.map((b, i) => [path.basename(b), i, b]))(
    "%s exec -it: typed commands run, the terminal size follows a resize, exit 7 ends kubectl with 7",
    async (_, i, binary) => {
      const term = new Terminal(`exec${i}`, `${kubectlCommand(binary)} exec -it shell -- sh`);
      // The prompt's trailing space is trimmed from captured lines.
      await term.waitFor(/^\/ #\s*$/m);
      term.type("echo $((6*7))");
      await term.waitFor(/^42\s*$/m);
      term.type("stty size");
      await term.waitFor(/^30 120\s*$/m);
      term.resize(100, 20);
      // The shell reads its size when asked; the resize reaches it through kubectl's resize channel.
      await until(
        "the new size",
        async () => {
          term.type("stty size");
          await new Promise((resolve) => setTimeout(resolve, 300));
          return /^20 100\s*$/m.test(term.screen()) ? true : undefined;
        },
        20_000,
        100,
      );
      term.type("exit 7");
      expect(await term.exitCode()).toBe(7);
    },
    90_000,
  );

  it("kubectl run -i -t attaches to the new pod's shell; its exit code is kubectl's", async () => {
    const term = new Terminal(
      "run",
      `${kubectlCommand()} run runner -i -t --image=${IMAGE} --restart=Never --overrides='{"spec":{"nodeName":"${NODE}"}}' -- sh`,
    );
    await term.waitFor(/If you don't see a command prompt, try pressing enter/, 90_000);
    term.type("");
    term.type("echo run-$((2+3))");
    await term.waitFor(/^run-5\s*$/m);
    term.type("exit 4");
    expect(await term.exitCode(60_000)).toBe(4);
    const created = JSON.parse((await h.kubectl(["get", "pod", "runner", "-o", "json"])).stdout) as Json;
    expect(created.spec.containers[0]).toMatchObject({ stdin: true, stdinOnce: true, tty: true });
  }, 150_000);

  it("kubectl attach -i feeds the main process's stdin and ends when it exits", async () => {
    const attached = await h.kubectl(["attach", "-i", "reader"], {
      binary: KUBECTL_133,
      stdin: "hello\nworld\n",
      timeoutMs: 60_000,
    });
    expect(attached.stdout).toContain("got:hello\ngot:world\n");
    expect(attached.stdout).toContain("bye");
  }, 90_000);

  it("a WebSocket to a pod through pods/proxy and services/proxy (API path with the token)", async () => {
    for (const where of ["pods/wsecho", "services/wsecho:ws"]) {
      const ws = await connectWebSocket(`${h.flotilla.clusterUrl}/api/v1/namespaces/default/${where}/proxy/chat`, {
        headers: { authorization: `Bearer ${h.flotilla.adminToken}`, "sec-websocket-protocol": "echo.v1, other" },
        ca: h.flotilla.caPem,
      });
      expect(ws.protocol).toBe("echo.v1");
      const got = collect(ws);
      ws.send("one");
      ws.send(new Uint8Array([1, 2, 3]));
      await got.waitFor(3);
      expect(got.messages).toEqual(["hello wsecho", "echo:one", "bin:1,2,3"]);
      ws.close(4000, "done");
      await got.closed;
    }
    // Without the token the upgrade is refused like any request.
    await expect(
      connectWebSocket(`${h.flotilla.clusterUrl}/api/v1/namespaces/default/pods/wsecho/proxy/`, {
        headers: {},
        ca: h.flotilla.caPem,
      }),
    ).rejects.toThrow();
  }, 60_000);

  it("a WebSocket to a published Service through its public URL, without a token", async () => {
    const cluster = new URL(h.flotilla.clusterUrl);
    const clusterId = cluster.pathname.split("/").filter(Boolean).pop();
    const ws = await connectWebSocket(`${cluster.origin}/public/${clusterId}/default/wsecho:ws/`, {
      headers: { "sec-websocket-protocol": "echo.v2" },
      ca: h.flotilla.caPem,
    });
    expect(ws.protocol).toBe("echo.v2");
    const got = collect(ws);
    ws.send("in public");
    await got.waitFor(2);
    expect(got.messages).toEqual(["hello wsecho", "echo:in public"]);
    ws.close();
    await got.closed;
  }, 60_000);

  it("a WebSocket to a pod through kubectl proxy", async () => {
    const proxy = h.watchKubectl(["proxy", "--port=0", "--append-server-path"]);
    try {
      const line = await proxy.waitFor(/Starting to serve on/, 20_000);
      const port = Number(/:(\d+)/.exec(line)?.[1]);
      const ws = await connectWebSocket(
        `http://127.0.0.1:${port}/api/v1/namespaces/default/services/wsecho:ws/proxy/`,
        {
          headers: {},
        },
      );
      const got = collect(ws);
      ws.send("through kubectl proxy");
      await got.waitFor(2);
      expect(got.messages).toEqual(["hello wsecho", "echo:through kubectl proxy"]);
      ws.close();
    } finally {
      await proxy.stop();
    }
  }, 60_000);
});
