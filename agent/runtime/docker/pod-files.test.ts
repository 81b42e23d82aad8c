import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Pod } from "../../../kube/pod-types.ts";
import { parseResolvConf } from "../../dns/resolv-conf.ts";
import { podFileMounts, writePodFiles } from "./pod-files.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const pod = (spec: Partial<Pod["spec"]> = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-0", namespace: "shop", uid: "u1" },
  spec: { containers: [{ name: "c" }], ...spec },
});

async function setup(clusterDNS: string | undefined) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "pod-files-"));
  dirs.push(dir);
  const nodeHostsFile = path.join(dir, "node-hosts");
  await writeFile(nodeHostsFile, "127.0.0.1\tlocalhost\n192.0.2.2\tnode-a\n");
  const config = {
    clusterDomain: "cluster.local",
    clusterDNS: async () => clusterDNS,
    hostResolvConf: async () => parseResolvConf("nameserver 192.0.2.53\n"),
    nodeHostsFile,
  };
  return { dir: path.join(dir, "pods", "u1"), config };
}

describe("writePodFiles", () => {
  it("writes hosts, resolv.conf and hostname into the pod's directory and mounts them at /etc", async () => {
    const { dir, config } = await setup("10.244.0.1");
    const files = await writePodFiles(dir, pod({ hostname: "db-0", subdomain: "db" }), "10.244.0.7", config);
    expect(files.mounts.map((m) => `${path.relative(dir, m.source)}:${m.target}`)).toEqual([
      "etc-hosts:/etc/hosts",
      "resolv.conf:/etc/resolv.conf",
      "etc-hostname:/etc/hostname",
    ]);
    expect(await readFile(path.join(dir, "etc-hosts"), "utf8")).toContain(
      "10.244.0.7\tdb-0.db.shop.svc.cluster.local\tdb-0\n",
    );
    expect(await readFile(path.join(dir, "resolv.conf"), "utf8")).toBe(
      "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.244.0.1\noptions ndots:5\n",
    );
    expect(await readFile(path.join(dir, "etc-hostname"), "utf8")).toBe("db-0\n");
    expect(files.warnings).toEqual([]);
  });

  it("rewrites a changed file in place (running containers keep seeing it) and leaves an unchanged one alone", async () => {
    const { dir, config } = await setup(undefined);
    await writePodFiles(dir, pod(), "10.244.0.7", config);
    const resolv = path.join(dir, "resolv.conf");
    const hosts = path.join(dir, "etc-hosts");
    const [inode, hostsTime] = [(await stat(resolv)).ino, (await stat(hosts)).mtimeMs];
    expect(await readFile(resolv, "utf8")).toBe("nameserver 192.0.2.53\n");
    await new Promise((r) => setTimeout(r, 20));
    await writePodFiles(dir, pod(), "10.244.0.7", { ...config, clusterDNS: async () => "10.244.0.1" });
    expect(await readFile(resolv, "utf8")).toContain("nameserver 10.244.0.1\n");
    expect((await stat(resolv)).ino).toBe(inode);
    expect((await stat(hosts)).mtimeMs).toBe(hostsTime);
  });

  it("gives hostNetwork pods the node's hosts file and no hostname file", async () => {
    const { dir, config } = await setup("10.244.0.1");
    const files = await writePodFiles(dir, pod({ hostNetwork: true }), "192.0.2.2", config);
    expect(files.mounts.map((m) => m.target)).toEqual(["/etc/hosts", "/etc/resolv.conf"]);
    expect(await readFile(path.join(dir, "etc-hosts"), "utf8")).toBe(
      "# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n192.0.2.2\tnode-a\n",
    );
    expect(await readFile(path.join(dir, "resolv.conf"), "utf8")).toBe("nameserver 192.0.2.53\n");
  });

  it("leaves out a file the container mounts a volume over", () => {
    const files = [
      { source: "/p/etc-hosts", target: "/etc/hosts", readOnly: false },
      { source: "/p/resolv.conf", target: "/etc/resolv.conf", readOnly: false },
    ];
    expect(podFileMounts(files, [{ source: "/v", target: "/etc/hosts", readOnly: true }])).toEqual([files[1]]);
  });
});
