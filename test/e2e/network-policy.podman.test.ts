// Issue 20's NetworkPolicy enforcement on Podman with two agents: a default-deny ingress policy makes a
// wget from one pod to another time out (by pod IP, through the Service, and across nodes through the
// tunnel); a policy allowing ingress from role=frontend restores it for that pod only (on either node); an
// egress rule with a port range lets a pod reach one port of its peer and not another.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentProcess } from "../../scripts/local/local-agent.ts";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { WEB_IMAGE } from "./fixtures/web-app.ts";
import { type Harness, startHarness } from "./harness.ts";
import { untilNodesReady } from "./nodes-ready.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("network policy e2e");

const NODE = `e2e-np-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const [A, B] = [`${NODE}-a`, `${NODE}-b`];

const pod = (name: string, node: string, labels: Record<string, string>, command: string[]) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels },
  spec: {
    terminationGracePeriodSeconds: 1,
    nodeSelector: { "kubernetes.io/hostname": node },
    containers: [{ name: "c", image: WEB_IMAGE, command }],
  },
});

/** The server: its name on 8080 (the Service's target) and "admin" on 9000. */
const SERVER_SCRIPT =
  "mkdir -p /www /admin && echo db > /www/index.html && echo admin > /admin/index.html && httpd -p 9000 -h /admin && exec httpd -f -p 8080 -h /www";

const policy = (name: string, spec: Json) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name },
  spec,
});

describe.skipIf(podman.skip)("NetworkPolicies enforced by the agents", () => {
  let h: Harness;
  let agents: AgentProcess[] = [];
  let dbIP = "";
  let clusterIP = "";

  const get = async (what: string[]) => JSON.parse((await h.kubectl(["get", ...what, "-o", "json"])).stdout) as Json;
  const apply = (o: Json) => h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(o) });
  /** The body, or "timeout" when no answer came in 3 seconds (a dropped connection), or "fail". */
  const wget = async (from: string, url: string) => {
    const script = `out=$(timeout 3 wget -qO- ${url} 2>&1); rc=$?; if [ $rc = 143 ]; then echo timeout; elif [ $rc = 0 ]; then echo "$out"; else echo fail; fi`;
    return (await h.kubectl(["exec", from, "--", "sh", "-c", script], { timeoutMs: 30_000 })).stdout.trim();
  };
  const eventually = (what: string, from: string, url: string, want: string) =>
    until(
      `${what}: ${from} → ${url} gives ${want}`,
      async () => ((await wget(from, url)) === want ? want : undefined),
      45_000,
      1_000,
    );

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    agents = await Promise.all([A, B].map((name) => h.flotilla.startAgent({ name, runtime: "docker" })));
    await untilNodesReady(h, 2);
    const sleeper = ["sleep", "3600"];
    await h.kubectl(["apply", "-f", "-"], {
      stdin: JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          pod("db", A, { app: "db" }, ["sh", "-c", SERVER_SCRIPT]),
          pod("frontend", A, { role: "frontend" }, sleeper),
          pod("other", A, { role: "other" }, sleeper),
          pod("remote-frontend", B, { role: "frontend" }, sleeper),
          pod("remote-other", B, { role: "other" }, sleeper),
          {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "db" },
            spec: { selector: { app: "db" }, ports: [{ port: 80, targetPort: 8080 }] },
          },
        ],
      }),
    });
    const names = ["db", "frontend", "other", "remote-frontend", "remote-other"].map((n) => `pod/${n}`);
    await h.kubectl(["wait", "--for=condition=Ready", ...names, "--timeout=150s"], { timeoutMs: 160_000 });
    dbIP = (await get(["pod", "db"])).status.podIP;
    clusterIP = (await get(["service", "db"])).spec.clusterIP;
    await until(
      "the db endpoint",
      async () => ((await get(["endpoints", "db"])).subsets?.[0]?.addresses?.length ? true : undefined),
      60_000,
    );
  }, 300_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([A, B]);
  });

  it("without policies every pod reaches db by IP, through the Service and across nodes", async () => {
    for (const from of ["frontend", "other", "remote-other"]) {
      await eventually("open", from, `http://${dbIP}:8080/`, "db");
      await eventually("open", from, `http://${clusterIP}/`, "db");
    }
  }, 240_000);

  it("default-deny ingress: wget times out by pod IP, through the Service and from the other node", async () => {
    await apply(policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] }));
    await eventually("denied", "other", `http://${dbIP}:8080/`, "timeout");
    expect(await wget("frontend", `http://${dbIP}:8080/`)).toBe("timeout");
    expect(await wget("other", `http://${clusterIP}/`)).toBe("timeout");
    await eventually("denied across nodes", "remote-other", `http://${dbIP}:8080/`, "timeout");
    expect(await wget("remote-other", `http://${clusterIP}/`)).toBe("timeout");
    // The node itself still reaches its pod (readiness probes keep db Ready, as upstream allows).
    expect((await get(["pod", "db"])).status.conditions.find((c: Json) => c.type === "Ready").status).toBe("True");
  }, 240_000);

  it("allowing ingress from role=frontend restores it for those pods only, on either node", async () => {
    await apply(
      policy("allow-frontend", {
        podSelector: { matchLabels: { app: "db" } },
        ingress: [{ from: [{ podSelector: { matchLabels: { role: "frontend" } } }] }],
      }),
    );
    await eventually("allowed", "frontend", `http://${dbIP}:8080/`, "db");
    expect(await wget("frontend", `http://${clusterIP}/`)).toBe("db");
    await eventually("allowed across nodes", "remote-frontend", `http://${dbIP}:8080/`, "db");
    expect(await wget("remote-frontend", `http://${clusterIP}/`)).toBe("db");
    expect(await wget("other", `http://${dbIP}:8080/`)).toBe("timeout");
    expect(await wget("other", `http://${clusterIP}/`)).toBe("timeout");
    expect(await wget("remote-other", `http://${dbIP}:8080/`)).toBe("timeout");
    expect(await wget("remote-other", `http://${clusterIP}/`)).toBe("timeout");
  }, 240_000);

  it("an egress rule with a port range lets frontend reach 8080 and not 9000", async () => {
    await h.kubectl(["delete", "networkpolicy", "default-deny-ingress", "allow-frontend"]);
    await eventually("open again", "frontend", `http://${dbIP}:9000/`, "admin");
    await apply(
      policy("frontend-egress", {
        podSelector: { matchLabels: { role: "frontend" } },
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ podSelector: { matchLabels: { app: "db" } } }],
            ports: [{ protocol: "TCP", port: 8000, endPort: 8100 }],
          },
        ],
      }),
    );
    await eventually("egress denied", "frontend", `http://${dbIP}:9000/`, "timeout");
    expect(await wget("frontend", `http://${dbIP}:8080/`)).toBe("db");
    expect(await wget("frontend", `http://${clusterIP}/`)).toBe("db");
    // Only frontend is selected: other reaches both ports.
    expect(await wget("other", `http://${dbIP}:9000/`)).toBe("admin");
    // The same rule for remote-frontend, on node b, whose traffic to db rides the tunnel.
    await eventually("egress denied across nodes", "remote-frontend", `http://${dbIP}:9000/`, "timeout");
    expect(await wget("remote-frontend", `http://${dbIP}:8080/`)).toBe("db");
  }, 240_000);
});
