// Cluster DNS end to end on Podman (issue 15): an agent serving cluster.local on its pod network's gateway,
// a Deployment "web" behind a Service, a StatefulSet "db" behind a headless Service, and a client pod, all
// asked through the real kubectl and busybox's own tools inside the pods. The agent forwards other names to
// a tiny resolver this test runs (this machine has no internet), which answers NXDOMAIN.
// Busybox's nslookup (1.35, the "big" one) sends a dotless name under each search domain but a name with a
// dot as it is, ignoring ndots — on a real cluster too — so `db-0.db` is shown through libc (wget), which
// applies the search path with ndots:5 as every application does.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askTcp, askUdp, queryPacket, startTinyResolver, type TinyResolver } from "../../agent/dns/testing.ts";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { webAppList } from "./fixtures/web-app.ts";
import { type Harness, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("dns e2e");

const IMAGE = "busybox:stable";
const NODE = `e2e-dns-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
/** A loopback address of its own for the upstream resolver (port 53: resolv.conf names no ports). */
const UPSTREAM = "127.53.0.1";

const DB = {
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "db" },
      spec: { clusterIP: "None", selector: { app: "db" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db" },
      spec: {
        serviceName: "db",
        replicas: 2,
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: { labels: { app: "db" } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: "httpd",
                image: IMAGE,
                command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"],
                ports: [{ name: "http", containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/", port: 8080 }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
  ],
};

const CLIENT = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "client" },
  spec: { terminationGracePeriodSeconds: 1, containers: [{ name: "sh", image: IMAGE, command: ["sleep", "3600"] }] },
};

describe.skipIf(podman.skip)("cluster DNS, hostname and /etc/hosts in pods", () => {
  let h: Harness;
  let upstream: TinyResolver;
  let webIP = "";
  const podIPs = new Map<string, string>();
  const exec = async (pod: string, ...command: string[]) =>
    (await h.kubectl(["exec", pod, "--", ...command], { timeoutMs: 60_000 })).stdout;
  /** nslookup exits non-zero when any of its queries (one per search domain) fails: its output tells. */
  const nslookup = async (...args: string[]) => {
    const r = await h.kubectl(["exec", "client", "--", "nslookup", ...args], { allowFail: true, timeoutMs: 60_000 });
    return `${r.stdout}${r.stderr}`;
  };

  beforeAll(async () => {
    podman.require();
    upstream = await startTinyResolver(UPSTREAM, 53, (q) =>
      q.name === "known.upstream.test" ? { rcode: 0, addresses: ["192.0.2.99"] } : { rcode: 3 },
    );
    const resolvConf = path.join(mkdtempSync(path.join(os.tmpdir(), "dns-e2e-")), "resolv.conf");
    writeFileSync(resolvConf, `nameserver ${UPSTREAM}\n`);
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker", resolvConf });
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(webAppList({ replicas: 2 })) });
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(DB) });
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(CLIENT) });
    await h.kubectl(["wait", "--for=condition=Ready", "pod/client", "pod/db-0", "--timeout=180s"], {
      timeoutMs: 190_000,
    });
    await until(
      "db-1 and the web pods ready",
      async () => {
        const out = await h.kubectl(["get", "pods", "-o", "json"]);
        const pods = JSON.parse(out.stdout).items as Json[];
        const ready = pods.filter((p) =>
          p.status?.conditions?.some((c: Json) => c.type === "Ready" && c.status === "True"),
        );
        for (const p of ready) podIPs.set(p.metadata.name, p.status.podIP);
        return ready.length === 5 ? true : undefined;
      },
      180_000,
    );
    webIP = (await h.kubectl(["get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}"])).stdout.trim();
  }, 400_000);

  afterAll(async () => {
    await h?.stop();
    await upstream?.close();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("gives the pod upstream's ClusterFirst resolv.conf naming the node's DNS", async () => {
    const resolv = await exec("client", "cat", "/etc/resolv.conf");
    console.log(`client's /etc/resolv.conf:\n${resolv}`);
    expect(resolv).toMatch(
      /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\nnameserver \d+\.\d+\.\d+\.\d+\noptions ndots:5\n$/,
    );
  });

  it("nslookup web and web.default.svc.cluster.local answer the Service's cluster IP", async () => {
    expect(webIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const short = await nslookup("web");
    console.log(`nslookup web:\n${short}`);
    expect(short).toMatch(
      new RegExp(`Name:\\s+web\\.default\\.svc\\.cluster\\.local\\s+Address:\\s+${webIP.replaceAll(".", "\\.")}`),
    );
    const full = await nslookup("web.default.svc.cluster.local");
    expect(full).toContain(`Address: ${webIP}`);
  });

  it("a headless Service answers its ready pods' IPs; db-0.db names one StatefulSet pod", async () => {
    const out = await nslookup("db.default.svc.cluster.local");
    console.log(`nslookup db.default.svc.cluster.local:\n${out}`);
    const answered = [...out.matchAll(/Address:\s+(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]);
    expect(answered.sort()).toEqual([podIPs.get("db-0"), podIPs.get("db-1")].sort());
    const one = await nslookup("db-0.db.default.svc.cluster.local");
    expect(one).toContain(`Address: ${podIPs.get("db-0")}`);
    // busybox's nslookup sends a dotted name as it is (the upstream resolver's NXDOMAIN); libc applies the
    // search path with ndots:5, so every application resolves db-0.db.
    expect(await nslookup("db-0.db")).toMatch(/can't find db-0\.db: NXDOMAIN/);
    expect((await exec("client", "wget", "-qO-", "http://db-0.db:8080/")).trim()).toBe("db-0");
    expect((await exec("client", "wget", "-qO-", "http://db-1.db.default:8080/")).trim()).toBe("db-1");
  });

  it("answers other names through the forwarder: the upstream's NXDOMAIN, not a timeout", async () => {
    const started = performance.now();
    const out = await nslookup("example.invalid");
    const ms = performance.now() - started;
    console.log(`nslookup example.invalid (${ms.toFixed(0)} ms with kubectl exec):\n${out}`);
    expect(out).toMatch(/NXDOMAIN/);
    expect(out).not.toMatch(/timed out|no servers could be reached/);
    expect(upstream.queries).toContain("example.invalid A");
    expect(await nslookup("known.upstream.test")).toContain("Address: 192.0.2.99");
  });

  it("hostname prints the pod's name (spec.hostname for StatefulSet pods) in every container", async () => {
    expect((await exec("client", "hostname")).trim()).toBe("client");
    expect((await exec("db-0", "hostname")).trim()).toBe("db-0");
    expect((await exec("client", "cat", "/etc/hostname")).trim()).toBe("client");
  });

  it("/etc/hosts is the kubelet's: localhost lines and the pod's own entry (with its FQDN under a subdomain)", async () => {
    const hosts = await exec("client", "cat", "/etc/hosts");
    console.log(`client's /etc/hosts:\n${hosts}`);
    expect(hosts).toMatch(/^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    expect(hosts).toContain(`\n${podIPs.get("client")}\tclient\n`);
    expect(await exec("db-0", "cat", "/etc/hosts")).toContain(
      `\n${podIPs.get("db-0")}\tdb-0.db.default.svc.cluster.local\tdb-0\n`,
    );
  });

  it("is reachable from the node itself over UDP and TCP, and learns a new Service within seconds", async () => {
    const resolv = await exec("client", "cat", "/etc/resolv.conf");
    const dns = /nameserver (\S+)/.exec(resolv)?.[1] ?? "";
    const udp = await askUdp(dns, 53, queryPacket("web.default.svc.cluster.local"));
    expect(udp.answers?.map((a) => ("data" in a ? a.data : ""))).toEqual([webIP]);
    const tcp = await askTcp(dns, 53, queryPacket("_http._tcp.db.default.svc.cluster.local", "SRV"));
    expect(tcp.answers?.length).toBe(2);
    await h.kubectl(["create", "service", "clusterip", "late", "--tcp=81:8080"]);
    const lateIP = (await h.kubectl(["get", "svc", "late", "-o", "jsonpath={.spec.clusterIP}"])).stdout.trim();
    await until(
      "late.default.svc.cluster.local to resolve",
      async () => {
        const answer = await askUdp(dns, 53, queryPacket("late.default.svc.cluster.local"));
        return answer.answers?.some((a) => "data" in a && a.data === lateIP) ? true : undefined;
      },
      30_000,
    );
  });
});
