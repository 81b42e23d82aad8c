import { describe, expect, it } from "vitest";
import type { Pod, Volume } from "../../kube/pod-types.ts";
import type { PodReferences } from "./env.ts";
import { containerMounts, planVolume, planVolumes } from "./volumes.ts";

const pod = (volumes: Volume[]): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "ns", uid: "u" },
  spec: { containers: [], volumes },
});

const refsFor = (volumes: Volume[]): PodReferences => ({
  pod: pod(volumes),
  configMaps: {
    cfg: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg" },
      data: { "a.conf": "A", b: "B" },
      binaryData: { bin: btoa("\x01\x02") },
    },
  },
  secrets: { sec: { apiVersion: "v1", kind: "Secret", metadata: { name: "sec" }, data: { token: btoa("t0k") } } },
});

const files = (plan: ReturnType<typeof planVolume>) =>
  plan.files?.map((f) => [f.path, f.content.toString("latin1"), f.mode.toString(8)]);

describe("planVolume", () => {
  it("lays out emptyDir, configMap and secret under the pod directory", () => {
    const volumes: Volume[] = [
      { name: "scratch", emptyDir: {} },
      { name: "conf", configMap: { name: "cfg" } },
      { name: "s", secret: { secretName: "sec", defaultMode: 0o400 } },
    ];
    const [empty, conf, secret] = planVolumes(refsFor(volumes), "/var/lib/flotilla/pods/u");
    expect(empty).toMatchObject({
      hostPath: "/var/lib/flotilla/pods/u/volumes/kubernetes.io~empty-dir/scratch",
      readOnly: false,
      external: false,
    });
    expect(conf.hostPath).toBe("/var/lib/flotilla/pods/u/volumes/kubernetes.io~configmap/conf");
    expect(conf.readOnly).toBe(true);
    expect(files(conf)).toEqual([
      ["a.conf", "A", "644"],
      ["b", "B", "644"],
      ["bin", "\x01\x02", "644"],
    ]);
    expect(secret.hostPath).toBe("/var/lib/flotilla/pods/u/volumes/kubernetes.io~secret/s");
    expect(files(secret)).toEqual([["token", "t0k", "400"]]);
  });

  it("maps items to paths with their modes", () => {
    const volume: Volume = {
      name: "conf",
      configMap: { name: "cfg", items: [{ key: "b", path: "dir/b.txt", mode: 0o600 }] },
    };
    expect(files(planVolume(refsFor([volume]), "/p", volume))).toEqual([["dir/b.txt", "B", "600"]]);
  });

  it.each<[Volume, string]>([
    [{ name: "v", configMap: { name: "gone" } }, 'configmap "gone" not found'],
    [{ name: "v", secret: { secretName: "gone" } }, 'secret "gone" not found'],
    [
      { name: "v", configMap: { name: "cfg", items: [{ key: "zzz", path: "z" }] } },
      "configmap references non-existent config key: zzz",
    ],
    [
      { name: "v", secret: { secretName: "sec", items: [{ key: "zzz", path: "z" }] } },
      "references non-existent secret key: zzz",
    ],
    [{ name: "v", configMap: { name: "cfg", items: [{ key: "b", path: "../escape" }] } }, "invalid path ../escape"],
  ])("refuses %j", (volume, message) => {
    expect(() => planVolume(refsFor([volume]), "/p", volume)).toThrow(message);
  });

  it("an optional missing source is an empty volume", () => {
    const volume: Volume = { name: "v", secret: { secretName: "gone", optional: true } };
    expect(planVolume(refsFor([volume]), "/p", volume).files).toEqual([]);
  });

  it("an optional source's missing item key is left out, as upstream's MakePayload does", () => {
    const volume: Volume = {
      name: "v",
      secret: {
        secretName: "sec",
        optional: true,
        items: [
          { key: "zzz", path: "z" },
          { key: "token", path: "t" },
        ],
      },
    };
    expect(files(planVolume(refsFor([volume]), "/p", volume))).toEqual([["t", "t0k", "644"]]);
  });

  it("projects secret, configMap, downward API and token sources into one read-only directory", () => {
    const volume: Volume = {
      name: "all-in-one",
      projected: {
        defaultMode: 0o440,
        sources: [
          { secret: { name: "sec", items: [{ key: "token", path: "auth/token", mode: 0o400 }] } },
          { configMap: { name: "cfg", items: [{ key: "a.conf", path: "a.conf" }] } },
          {
            downwardAPI: {
              items: [
                { path: "name", fieldRef: { fieldPath: "metadata.name" } },
                { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
              ],
            },
          },
          { secret: { name: "missing", optional: true } },
          { serviceAccountToken: { path: "token" } },
        ],
      },
    };
    const refs = refsFor([volume]);
    refs.pod.metadata.labels = { tier: "web", app: 'say "hi"' };
    refs.serviceAccountTokens = { "|3600": "header.claims.sig" };
    const plan = planVolume(refs, "/p", volume);
    expect(plan).toMatchObject({
      hostPath: "/p/volumes/kubernetes.io~projected/all-in-one",
      readOnly: true,
      external: false,
    });
    expect(files(plan)).toEqual([
      ["auth/token", "t0k", "400"],
      ["a.conf", "A", "440"],
      ["name", "p", "440"],
      ["labels", 'app="say \\"hi\\""\ntier="web"', "440"],
      ["token", "header.claims.sig", "440"],
    ]);
  });

  it("a later projected source's file replaces an earlier one at the same path", () => {
    const volume: Volume = {
      name: "v",
      projected: {
        sources: [
          { configMap: { name: "cfg", items: [{ key: "a.conf", path: "same" }] } },
          { secret: { name: "sec", items: [{ key: "token", path: "same" }] } },
        ],
      },
    };
    expect(files(planVolume(refsFor([volume]), "/p", volume))).toEqual([["same", "t0k", "644"]]);
  });

  it.each<[Volume, string]>([
    [{ name: "v", projected: { sources: [{ secret: { name: "gone" } }] } }, 'secret "gone" not found'],
    [{ name: "v", projected: { sources: [{ configMap: { name: "gone" } }] } }, 'configmap "gone" not found'],
    [
      { name: "v", projected: { sources: [{ secret: { name: "sec", items: [{ key: "token", path: "/abs" }] } }] } },
      "invalid path /abs",
    ],
    [
      {
        name: "v",
        projected: {
          sources: [{ downwardAPI: { items: [{ path: "../up", fieldRef: { fieldPath: "metadata.name" } }] } }],
        },
      },
      "invalid path ../up",
    ],
    [
      { name: "v", projected: { sources: [{ serviceAccountToken: { path: "token", audience: "vault" } }] } },
      "failed to fetch token",
    ],
  ])("refuses projected %j", (volume, message) => {
    expect(() => planVolume(refsFor([volume]), "/p", volume)).toThrow(message);
  });

  it("hostPath is external and created only when asked", () => {
    const plain: Volume = { name: "h", hostPath: { path: "/data" } };
    const create: Volume = { name: "h", hostPath: { path: "/data", type: "DirectoryOrCreate" } };
    expect(planVolume(refsFor([plain]), "/p", plain)).toMatchObject({
      hostPath: "/data",
      external: true,
      createHostPath: undefined,
    });
    expect(planVolume(refsFor([create]), "/p", create).createHostPath).toBe("Directory");
  });
});

describe("containerMounts", () => {
  const volumes: Volume[] = [
    { name: "scratch", emptyDir: {} },
    { name: "conf", configMap: { name: "cfg" } },
  ];
  const plans = planVolumes(refsFor(volumes), "/p");

  it("binds volumes, read-only for configMaps and when asked, with subPath", () => {
    const mounts = containerMounts(
      {
        name: "c",
        volumeMounts: [
          { name: "scratch", mountPath: "/data" },
          { name: "scratch", mountPath: "/ro", readOnly: true, subPath: "sub" },
          { name: "conf", mountPath: "/etc/app" },
        ],
      },
      plans,
    );
    expect(mounts).toEqual([
      { source: "/p/volumes/kubernetes.io~empty-dir/scratch", target: "/data", readOnly: false },
      // A missing subPath directory is made before the container starts, as the kubelet does.
      { source: "/p/volumes/kubernetes.io~empty-dir/scratch/sub", target: "/ro", readOnly: true, makeSource: true },
      { source: "/p/volumes/kubernetes.io~configmap/conf", target: "/etc/app", readOnly: true },
    ]);
  });

  it("refuses undeclared volumes and escaping subPaths", () => {
    expect(() => containerMounts({ name: "c", volumeMounts: [{ name: "x", mountPath: "/x" }] }, plans)).toThrow(
      'cannot find volume "x"',
    );
    expect(() =>
      containerMounts({ name: "c", volumeMounts: [{ name: "scratch", mountPath: "/x", subPath: "../../etc" }] }, plans),
    ).toThrow("invalid subPath");
  });
});

describe("claim volumes", () => {
  const claimed: Volume[] = [
    { name: "data", persistentVolumeClaim: { claimName: "data-db-0" } },
    { name: "logs", persistentVolumeClaim: { claimName: "logs", readOnly: true } },
    { name: "disk", persistentVolumeClaim: { claimName: "disk" } },
    { name: "scratch", ephemeral: { volumeClaimTemplate: {} } },
  ];
  const base = { provisioned: false };
  const refs: PodReferences = {
    ...refsFor(claimed),
    claims: {
      data: { ...base, claimName: "data-db-0", volumeName: "pvc-1", path: "/state/volumes/pvc-1", provisioned: true },
      logs: { ...base, claimName: "logs", volumeName: "hp", path: "/srv/logs", hostPathType: "DirectoryOrCreate" },
      disk: { ...base, claimName: "disk", volumeName: "local", path: "/mnt/disk" },
      scratch: {
        ...base,
        claimName: "p-scratch",
        volumeName: "pvc-2",
        path: "/state/volumes/pvc-2",
        provisioned: true,
      },
    },
  };

  it("mounts the bound volume's directory: provisioned ones made on first use, local ones required, hostPath by type", () => {
    const [data, logs, disk, scratch] = planVolumes(refs, "/p");
    expect(data).toEqual({
      name: "data",
      hostPath: "/state/volumes/pvc-1",
      readOnly: false,
      external: true,
      provisioned: true,
    });
    expect(logs).toEqual({
      name: "logs",
      hostPath: "/srv/logs",
      readOnly: true,
      external: true,
      createHostPath: "Directory",
    });
    expect(disk).toEqual({ name: "disk", hostPath: "/mnt/disk", readOnly: false, external: true, mustExist: true });
    expect(scratch.hostPath).toBe("/state/volumes/pvc-2");
    const container = {
      name: "db",
      image: "x",
      volumeMounts: [
        { name: "data", mountPath: "/var/lib/db", subPath: "pgdata" },
        { name: "data", mountPath: "/backup", readOnly: true },
        { name: "logs", mountPath: "/logs" },
      ],
    };
    expect(containerMounts(container, [data, logs, disk, scratch])).toEqual([
      { source: "/state/volumes/pvc-1/pgdata", target: "/var/lib/db", readOnly: false, makeSource: true },
      { source: "/state/volumes/pvc-1", target: "/backup", readOnly: true },
      { source: "/srv/logs", target: "/logs", readOnly: true },
    ]);
  });

  it("fails the mount of a claim the cluster did not resolve, naming it as the kubelet does", () => {
    const bare = refsFor(claimed);
    expect(() => planVolume(bare, "/p", claimed[0])).toThrow("error processing PVC ns/data-db-0: PVC is not bound");
    expect(() => planVolume(bare, "/p", claimed[3])).toThrow("error processing PVC ns/p-scratch: PVC is not bound");
    const odd: PodReferences = {
      ...bare,
      claims: {
        data: { claimName: "data-db-0", volumeName: "nfs", path: "", provisioned: false, unsupported: "no nfs" },
      },
    };
    expect(() => planVolume(odd, "/p", claimed[0])).toThrow("no nfs");
  });
});
