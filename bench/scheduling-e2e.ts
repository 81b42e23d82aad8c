// End-to-end scheduling rate through the API (issue 6): Ready fake nodes, then pods created
// with 16 concurrent clients through the Worker; the rate is pods bound per second from the
// first create until the last pod has a node. Run: `npx tsx bench/scheduling-e2e.ts [--pods N] [--nodes N]`.
import { performance } from "node:perf_hooks";
import { createClient } from "./http.ts";
import { runLoad } from "./load.ts";
import { podManifest } from "./pods.ts";
import { startBenchServer } from "./server.ts";
import { numberFlag } from "./args.ts";

const CAPACITY = { cpu: "64", memory: "256Gi", pods: "500" };

async function main(): Promise<void> {
  const pods = numberFlag("--pods", 2000);
  const nodes = numberFlag("--nodes", 100);
  const server = await startBenchServer({ keep: false, live: false });
  try {
    const f = server.flotilla;
    const client = createClient({ baseUrl: f.clusterUrl, token: f.adminToken, caPem: f.caPem, maxSockets: 16 });
    const json = { "content-type": "application/json" };
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    await runLoad(
      nodes,
      16,
      async (i) => {
        const name = `node-${i}`;
        const created = await client.request("POST", "/api/v1/nodes", {
          headers: json,
          body: JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name } }),
        });
        const node = JSON.parse(created.body);
        node.status = {
          capacity: CAPACITY,
          allocatable: CAPACITY,
          conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: now, lastTransitionTime: now }],
        };
        return client.request("PUT", `/api/v1/nodes/${name}/status`, { headers: json, body: JSON.stringify(node) });
      },
      (res) => {
        if (res.status !== 200) throw new Error(`node status: ${res.status} ${res.body}`);
      },
    );
    const started = performance.now();
    const load = await runLoad(
      pods,
      16,
      (i) => client.request("POST", "/api/v1/namespaces/default/pods", { headers: json, body: podManifest(i) }),
      (res) => {
        if (res.status !== 201) throw new Error(`create: ${res.status} ${res.body}`);
      },
    );
    let unbound = pods;
    while (unbound > 0) {
      const list = await client.request("GET", "/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3D");
      unbound = JSON.parse(list.body).items.length;
      if (unbound > 0) await new Promise((r) => setTimeout(r, 20));
    }
    const boundMs = performance.now() - started;
    const rate = (pods / boundMs) * 1000;
    console.log(`scheduling through the API: ${pods} pods onto ${nodes} fake nodes`);
    console.log(`  creates: ${load.perSecond.toFixed(0)}/s; all bound ${boundMs.toFixed(0)} ms after the first create`);
    console.log(`  end-to-end rate (create → bound): ${rate.toFixed(0)} pods/s`);
    console.log(
      `BENCH_JSON ${JSON.stringify({ bench: "scheduling-e2e", pods, nodes, createsPerSecond: load.perSecond, boundMs, podsBoundPerSecond: rate })}`,
    );
    client.close();
  } finally {
    await server.dispose();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
