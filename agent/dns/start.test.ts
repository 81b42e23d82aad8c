// ClusterDNS as the agent runs it: serving on its address once it can bind, saying so once and naming no
// cluster DNS for pods when it cannot (the address taken by another server, rootless).
import dgram from "node:dgram";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterDNS } from "./start.ts";
import { askUdp, queryPacket } from "./testing.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freePort(): Promise<number> {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => s.bind(0, "127.0.0.1", resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function makeDNS(port: number) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cluster-dns-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const resolvConf = path.join(dir, "resolv.conf");
  await writeFile(resolvConf, "nameserver 127.0.0.1\nsearch corp.example\n");
  const logs: string[] = [];
  const dns = new ClusterDNS({ log: (m) => logs.push(m), resolvConf, port });
  cleanups.push(() => dns.close());
  return { dns, logs };
}

describe("ClusterDNS", () => {
  it("serves the cluster data it is given on the gateway address and names it for pods", async () => {
    const port = await freePort();
    const { dns, logs } = await makeDNS(port);
    dns.update({
      version: "9",
      namespaces: ["default"],
      services: [
        {
          namespace: "default",
          name: "web",
          type: "ClusterIP",
          clusterIPs: ["10.96.0.9"],
          ports: [{ name: "", port: 80, protocol: "TCP" }],
        },
      ],
    });
    await dns.start("127.0.0.1");
    expect(await dns.clusterDNS()).toBe("127.0.0.1");
    expect(dns.version).toBe("9");
    expect(logs).toEqual([
      expect.stringMatching(/^cluster DNS: serving cluster\.local on 127\.0\.0\.1:\d+ \(UDP and TCP\)/),
    ]);
    const answer = await askUdp("127.0.0.1", port, queryPacket("web.default.svc.cluster.local"));
    expect(answer.answers?.[0]).toMatchObject({ data: "10.96.0.9" });
    expect((await dns.hostResolvConf()).searches).toEqual(["corp.example"]);
  });

  it("says once why it cannot listen, and gives pods no cluster DNS then", async () => {
    const port = await freePort();
    const taken = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => taken.bind(port, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(() => resolve(undefined))));
    const { dns, logs } = await makeDNS(port);
    await dns.start("127.0.0.1");
    expect(await dns.clusterDNS()).toBeUndefined();
    expect(logs).toEqual([
      `cluster DNS: cannot listen on 127.0.0.1:${port}: the address is in use (another agent or DNS server on this host); pods on this node get the host's resolvers instead (the kubelet's fallback without a cluster DNS)`,
    ]);
  });

  it("without a gateway (rootless runtimes) serves nothing and says so", async () => {
    const { dns, logs } = await makeDNS(await freePort());
    await dns.start(undefined);
    expect(await dns.clusterDNS()).toBeUndefined();
    expect(logs[0]).toMatch(/no bridge gateway.*rootless.*get the host's resolvers instead/);
  });
});
