// Cluster DNS data in sync on real Durable Object SQLite: sent to agents that ask (wantDNS), with every
// namespace's Services, again only when the version they echo is not the current one; a change DNS can see
// answers such an agent's long-poll at once.
import { describe, expect, it } from "vitest";
import type { SyncRequest } from "../../../kube/agent-protocol.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { joinRequest, syncRequest, withAgents } from "./testing.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

const sync = (extra: Partial<SyncRequest> = {}) => syncRequest("a", extra);

const service = (ctx: ApiContext, namespace: string, name: string, spec: Record<string, unknown>) =>
  createObject(
    ctx,
    ctx.kinds.byResource("services")!,
    namespace,
    { apiVersion: "v1", kind: "Service", metadata: { name }, spec } as unknown as KubeObject,
    SYSTEM_WRITE,
  );

describe("cluster DNS data in sync", () => {
  it("is sent to agents that ask, for all namespaces, and only when their version is stale", async () => {
    await withAgents(["default", "team", "shop"], async ({ ctx, joinToken, call }) => {
      const joined = (await call("/agent/join", joinToken, joinRequest("a"))).body;
      const a = async (body: SyncRequest): Promise<Json> =>
        (await call("/agent/sync", joined.nodeCredential, body)).body;
      service(ctx, "team", "web", { ports: [{ port: 80, targetPort: 8080 }] });
      service(ctx, "shop", "db", { clusterIP: "None", ports: [{ name: "pg", port: 5432 }] });

      expect((await a(sync())).dns).toBeUndefined();
      const first = (await a(sync({ wantDNS: true }))).dns;
      expect(first.namespaces).toEqual(expect.arrayContaining(["default", "team", "shop"]));
      const web = first.services.find((s: Json) => s.name === "web");
      expect(web).toMatchObject({ namespace: "team", type: "ClusterIP", ports: [{ name: "", port: 80 }] });
      expect(web.clusterIPs[0]).toMatch(/^10\.(9[6-9]|1[01][0-9])\./);
      expect(first.services.find((s: Json) => s.name === "db")).toMatchObject({ clusterIPs: [], endpoints: [] });

      // Holding the current version: nothing sent, and the poll is held until a change DNS sees.
      const started = Date.now();
      const held = a(sync({ wantDNS: true, dnsVersion: first.version, waitSeconds: 5 }));
      await new Promise((r) => setTimeout(r, 200));
      service(ctx, "shop", "late", { ports: [{ port: 81 }] });
      const woken = await held;
      expect(Date.now() - started).toBeLessThan(3000);
      expect(woken.dns.version).not.toBe(first.version);
      expect(woken.dns.services.map((s: Json) => s.name)).toContain("late");
      expect((await a(sync({ wantDNS: true, dnsVersion: woken.dns.version }))).dns).toBeUndefined();
      // A stale version is answered at once, without waiting out the long-poll.
      const stale = Date.now();
      expect((await a(sync({ wantDNS: true, dnsVersion: "1", waitSeconds: 5 }))).dns.version).toBe(woken.dns.version);
      expect(Date.now() - stale).toBeLessThan(3000);
    });
  });
});
