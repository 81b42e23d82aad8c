// Storage over the agent protocol, inside the real object: the volume dir a joining agent reports, a pod
// held back until its claim is Bound and then sent with its volume's directory (the long-poll woken by
// the binding), and the provisioned volumes a node keeps (a deleted one wakes its node).
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { createTestPod } from "../testing/pods.ts";
import { joinRequest, syncRequest as sync, withAgents } from "./testing.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

const DIR = "/var/lib/agent/n1/volumes";

const provisioned = (name: string, node: string): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name, annotations: { "pv.kubernetes.io/provisioned-by": "flotilla.dev/local-path" } },
  spec: {
    capacity: { storage: "1Gi" },
    accessModes: ["ReadWriteOnce"],
    local: { path: `${DIR}/${name}` },
    nodeAffinity: {
      required: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] }],
      },
    },
  },
  status: { phase: "Bound" },
});

const claim = (name: string, volumeName?: string): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "default", uid: `uid-${name}` },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, volumeName },
  status: { phase: volumeName ? "Bound" : "Pending" },
});

/** Resolves with the sync's answer, or with "timeout" when none came within `ms`. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms))]);

describe("volumes over the agent protocol", () => {
  it("keeps the volume dir a joining agent reports, when absolute", async () => {
    await withAgents(["default", "kube-node-lease"], async ({ ctx, call, joinToken }) => {
      await call("/agent/join", joinToken, { ...joinRequest("n1"), volumeDir: DIR });
      expect(ctx.store.get("nodes", undefined, "n1")!.object.metadata.annotations?.["flotilla.dev/volume-dir"]).toBe(
        DIR,
      );
      const again = await call("/agent/join", joinToken, { ...joinRequest("n1"), volumeDir: "relative/dir" });
      const dirOf = () =>
        ctx.store.get("nodes", undefined, "n1")!.object.metadata.annotations?.["flotilla.dev/volume-dir"];
      expect(dirOf()).toBeUndefined();
      // A node that joined without one (an older agent) reports it with its syncs.
      const cred = again.body.nodeCredential;
      await call("/agent/sync", cred, sync("n1", { wantVolumes: true, volumeDir: "/srv/volumes" }));
      expect(dirOf()).toBe("/srv/volumes");
      const rv = ctx.store.get("nodes", undefined, "n1")!.object.metadata.resourceVersion;
      await call("/agent/sync", cred, sync("n1", { wantVolumes: true, volumeDir: "/srv/volumes" }));
      expect(ctx.store.get("nodes", undefined, "n1")!.object.metadata.resourceVersion).toBe(rv);
    });
  });

  it("holds a pod back until its claim is Bound, then sends it with the volume's directory", async () => {
    await withAgents(["default", "kube-node-lease"], async ({ ctx, call, joinToken }) => {
      const cred = (await call("/agent/join", joinToken, joinRequest("n1"))).body.nodeCredential;
      ctx.store.put("persistentvolumeclaims", claim("data"), "ADDED");
      createTestPod(ctx, "db", {
        nodeName: "n1",
        volumes: [{ name: "store", persistentVolumeClaim: { claimName: "data" } }],
      });
      const heldRes = await call("/agent/sync", cred, sync("n1", { wantVolumes: true }));
      expect(heldRes.status, JSON.stringify(heldRes.body)).toBe(200);
      const held = heldRes.body;
      expect(held.pods).toEqual([]);
      expect(held.volumes).toEqual([]);

      const waiting = call("/agent/sync", cred, sync("n1", { wantVolumes: true, waitSeconds: 60 }));
      await new Promise((r) => setTimeout(r, 50));
      ctx.store.put("persistentvolumes", provisioned("pvc-1", "n1"), "ADDED");
      ctx.store.put("persistentvolumeclaims", claim("data", "pvc-1"), "MODIFIED");
      const answer = await within(waiting, 10_000);
      expect(answer).not.toBe("timeout");
      const body = (answer as { body: Json }).body;
      expect(body.pods.map((a: Json) => a.pod.metadata.name)).toEqual(["db"]);
      expect(body.pods[0].claims).toEqual({
        store: { claimName: "data", volumeName: "pvc-1", path: `${DIR}/pvc-1`, provisioned: true },
      });
      expect(body.volumes).toEqual([`${DIR}/pvc-1`]);
      // Without asking, an agent is not told its volumes (simulated nodes keep none).
      expect((await call("/agent/sync", cred, sync("n1"))).body.volumes).toBeUndefined();
    });
  });

  it("wakes a node when one of its provisioned volumes is deleted, and lists only its own", async () => {
    await withAgents(["default", "kube-node-lease"], async ({ ctx, call, joinToken }) => {
      const cred = (await call("/agent/join", joinToken, joinRequest("n1"))).body.nodeCredential;
      const mine = ctx.store.put("persistentvolumes", provisioned("pvc-1", "n1"), "ADDED").object;
      const retained = provisioned("pvc-2", "n1");
      retained.spec.persistentVolumeReclaimPolicy = "Retain";
      ctx.store.put("persistentvolumes", retained, "ADDED");
      ctx.store.put("persistentvolumes", provisioned("pvc-3", "n2"), "ADDED");
      const hand = { ...provisioned("by-hand", "n1"), metadata: { name: "by-hand" } };
      ctx.store.put("persistentvolumes", hand, "ADDED");
      const first = (await call("/agent/sync", cred, sync("n1", { wantVolumes: true }))).body;
      expect(first.volumes).toEqual([`${DIR}/pvc-1`, `${DIR}/pvc-2`]);
      expect(first.retainedVolumes).toEqual([`${DIR}/pvc-2`]);
      const waiting = call("/agent/sync", cred, sync("n1", { wantVolumes: true, waitSeconds: 60 }));
      await new Promise((r) => setTimeout(r, 50));
      ctx.store.delete("persistentvolumes", mine);
      const answer = await within(waiting, 10_000);
      expect(answer).not.toBe("timeout");
      expect((answer as { body: Json }).body.volumes).toEqual([`${DIR}/pvc-2`]);
    });
  });
});
