// Declarative configuration with the real kubectl: client-side apply of an evolving file, JSON / merge /
// strategic patches, bad patches that must leave the object alone, edit, diff and server-side dry-run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures", "declarative");
const APP = path.join(FIXTURES, "app.yaml");
const APP_V2 = path.join(FIXTURES, "app-v2.yaml");
const DUO = path.join(FIXTURES, "two-containers.yaml");
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

// biome-ignore lint/suspicious/noExplicitAny: live objects are arbitrary JSON, inspected field by field
type Obj = Record<string, any>;

function fileDocs(file: string): Obj[] {
  return parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJSON() as Obj);
}

/**
 * What a file decides about an object: labels, annotations (without kubectl's bookkeeping), spec and data.
 * Server-allocated values (a service's cluster IPs) are left out; defaults stay in, so two objects compare
 * equal only when the same file produced them, however they got there.
 */
function declared(obj: Obj): Obj {
  // The deployment controller's revision counter differs between an updated and a fresh deployment.
  const {
    [LAST_APPLIED]: _,
    "deployment.kubernetes.io/revision": _rev,
    ...annotations
  } = obj.metadata.annotations ?? {};
  const spec = obj.spec ? { ...obj.spec } : undefined;
  if (spec) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  return { kind: obj.kind, name: obj.metadata.name, labels: obj.metadata.labels, annotations, spec, data: obj.data };
}

describe("declarative configuration with kubectl (client-side apply, patch, edit, diff, dry-run)", () => {
  let h: Harness;
  let tmp: string;

  /** The live objects a file describes, in file order. */
  const liveOf = async (file: string, ns = "default"): Promise<Obj[]> =>
    JSON.parse((await h.kubectl(["get", "-n", ns, "-f", file, "-o", "json"])).stdout).items;
  const live = async (resource: string): Promise<Obj> =>
    JSON.parse((await h.kubectl(["get", resource, "-o", "json"])).stdout);
  /** The cluster's revision counter, as a list reports it: it moves on every stored write. */
  const revision = async (): Promise<string> => {
    const res = await h.api(DEPLOYMENTS);
    expect(res.status, res.body).toBe(200);
    return JSON.parse(res.body).metadata.resourceVersion;
  };
  const versions = (objs: Obj[]) => objs.map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`);

  beforeAll(async () => {
    requireKubectl();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-e2e-declarative-"));
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe("client-side apply of an evolving file", () => {
    it("apply -f creates the deployment, service and config map", async () => {
      const res = await h.kubectl(["apply", "-f", APP]);
      expect(res.stdout).toBe("deployment.apps/shop created\nservice/shop created\nconfigmap/shop-config created\n");
      const [deploy] = await liveOf(APP);
      expect(deploy?.metadata.labels).toEqual({ app: "shop", tier: "web" });
      expect(deploy?.spec.template.spec.containers[0].ports.map((p: Obj) => p.containerPort)).toEqual([80, 9090]);
    });

    it("applying the edited file leaves the objects exactly as the file says, nothing stale", async () => {
      const res = await h.kubectl(["apply", "-f", APP_V2]);
      expect(res.stdout).toBe(
        "deployment.apps/shop configured\nservice/shop unchanged\nconfigmap/shop-config configured\n",
      );
      const objs = await liveOf(APP_V2);
      const [deploy, , config] = objs;
      expect(deploy?.metadata.labels).toEqual({ app: "shop" });
      const [container, ...others] = deploy?.spec.template.spec.containers ?? [];
      expect(others).toEqual([]);
      expect(container.image).toBe("nginx:1.27");
      expect(container.ports).toEqual([{ containerPort: 80, name: "http", protocol: "TCP" }]);
      expect(container.env).toEqual([
        { name: "MODE", value: "production" },
        { name: "LOG_LEVEL", value: "debug" },
      ]);
      expect(config?.data).toEqual({ greeting: "hello", colour: "green" });

      // The same file created from scratch elsewhere: after the update, every object is indistinguishable from it.
      await h.kubectl(["create", "-f", "-"], { stdin: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fresh\n" });
      await h.kubectl(["create", "-n", "fresh", "-f", APP_V2]);
      const fresh = await liveOf(APP_V2, "fresh");
      expect(objs.map(declared)).toEqual(fresh.map(declared));

      // kubectl's record of what was applied is the file itself.
      for (const [i, doc] of fileDocs(APP_V2).entries()) {
        const recorded = JSON.parse(objs[i]?.metadata.annotations[LAST_APPLIED]);
        expect(recorded).toEqual({ ...doc, metadata: { ...doc.metadata, annotations: {}, namespace: "default" } });
      }
    });

    it("applying the same file again changes nothing: unchanged, same resourceVersions, no revision used", async () => {
      const before = versions(await liveOf(APP_V2));
      const rev = await revision();
      const res = await h.kubectl(["apply", "-f", APP_V2]);
      expect(res.stdout).toBe(
        "deployment.apps/shop unchanged\nservice/shop unchanged\nconfigmap/shop-config unchanged\n",
      );
      expect(versions(await liveOf(APP_V2))).toEqual(before);
      expect(await revision()).toBe(rev);
    });
  });

  describe("kubectl patch", () => {
    beforeAll(async () => {
      await h.kubectl(["create", "-f", DUO]);
    });

    it("--type json: a passing test op guards replace and add", async () => {
      const patch = [
        { op: "test", path: "/spec/replicas", value: 1 },
        { op: "replace", path: "/spec/replicas", value: 3 },
        { op: "add", path: "/metadata/labels/team", value: "blue" },
      ];
      const res = await h.kubectl(["patch", "deployment", "duo", "--type", "json", "-p", JSON.stringify(patch)]);
      expect(res.stdout).toBe("deployment.apps/duo patched\n");
      const deploy = await live("deployment/duo");
      expect(deploy.spec.replicas).toBe(3);
      expect(deploy.metadata.labels).toEqual({ app: "duo", team: "blue" });
    });

    it("--type merge: null deletes a key, maps merge, new fields land", async () => {
      const patch = { metadata: { labels: { team: null, stage: "qa" } }, spec: { minReadySeconds: 5 } };
      const res = await h.kubectl(["patch", "deployment", "duo", "--type", "merge", "-p", JSON.stringify(patch)]);
      expect(res.stdout).toBe("deployment.apps/duo patched\n");
      const deploy = await live("deployment/duo");
      expect(deploy.metadata.labels).toEqual({ app: "duo", stage: "qa" });
      expect(deploy.spec.minReadySeconds).toBe(5);
      expect(deploy.spec.replicas).toBe(3);
    });

    it("--type strategic: containers merge by name, and $patch: delete removes one", async () => {
      const before = await live("deployment/duo");
      const [main, helper] = before.spec.template.spec.containers;
      expect([main.name, helper.name]).toEqual(["main", "helper"]);

      const image = { spec: { template: { spec: { containers: [{ name: "helper", image: "busybox:1.37" }] } } } };
      await h.kubectl(["patch", "deployment", "duo", "--type", "strategic", "-p", JSON.stringify(image)]);
      const merged = (await live("deployment/duo")).spec.template.spec.containers;
      expect(merged).toEqual([main, { ...helper, image: "busybox:1.37" }]);

      const remove = { spec: { template: { spec: { containers: [{ name: "helper", $patch: "delete" }] } } } };
      const res = await h.kubectl(["patch", "deployment", "duo", "--type", "strategic", "-p", JSON.stringify(remove)]);
      expect(res.stdout).toBe("deployment.apps/duo patched\n");
      const after = await live("deployment/duo");
      expect(after.spec.template.spec.containers).toEqual([main]);
      expect(after.metadata.generation).toBe(before.metadata.generation + 2);
    });
  });

  describe("bad patches are refused and the object stays as it was", () => {
    /** Runs a patch that must fail; checks the object and the revision did not move; returns stderr. */
    const rejected = async (type: string, patch: unknown): Promise<string> => {
      const before = await live("deployment/duo");
      const rev = await revision();
      const args = ["patch", "deployment", "duo", "--type", type, "-p", JSON.stringify(patch), "-v=6"];
      const res = await h.kubectl(args, { allowFail: true });
      expect(res.code, `stdout: ${res.stdout}`).toBe(1);
      expect(await live("deployment/duo")).toEqual(before);
      expect(await revision()).toBe(rev);
      return res.stderr;
    };
    const PATCHED_422 = /PATCH https:\S+\/deployments\/duo\S* 422 Unprocessable Entity/;

    it("JSON patch with a path that does not exist: 422, the request is invalid", async () => {
      const stderr = await rejected("json", [{ op: "replace", path: "/spec/nope/x", value: 1 }]);
      expect(stderr).toMatch(PATCHED_422);
      expect(stderr).toMatch(
        /^The request is invalid: the server rejected our request due to an error in our request$/m,
      );
    });

    it("JSON patch whose test op fails: 422, nothing after it applied", async () => {
      const stderr = await rejected("json", [
        { op: "test", path: "/spec/replicas", value: 7 },
        { op: "replace", path: "/spec/replicas", value: 9 },
      ]);
      expect(stderr).toMatch(PATCHED_422);
      expect(stderr).toMatch(
        /^The request is invalid: the server rejected our request due to an error in our request$/m,
      );
    });

    it("merge patch that makes the object invalid: 422 with the field error", async () => {
      const stderr = await rejected("merge", { spec: { replicas: -1 } });
      expect(stderr).toMatch(PATCHED_422);
      expect(stderr).toMatch(
        /^The Deployment "duo" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0$/m,
      );
    });

    it("merge patch to the immutable selector: 422 field is immutable", async () => {
      // Template labels move too, so immutability is the only thing wrong.
      const stderr = await rejected("merge", {
        spec: {
          selector: { matchLabels: { app: "other" } },
          template: { metadata: { labels: { app: "other" } } },
        },
      });
      expect(stderr).toMatch(PATCHED_422);
      expect(stderr).toMatch(
        /^The Deployment "duo" is invalid: spec\.selector: Invalid value: .*: field is immutable$/m,
      );
    });

    it("a malformed JSON patch document: 400 BadRequest (raw HTTPS; kubectl would not send it)", async () => {
      const before = await live("deployment/duo");
      const rev = await revision();
      const res = await h.api(`${DEPLOYMENTS}/duo`, {
        method: "PATCH",
        headers: { "content-type": "application/json-patch+json" },
        body: '[{"op":"replace","path":',
      });
      expect(res.status, res.body).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        kind: "Status",
        status: "Failure",
        reason: "BadRequest",
        code: 400,
      });
      expect(await live("deployment/duo")).toEqual(before);
      expect(await revision()).toBe(rev);
    });
  });

  describe("kubectl edit, diff and server-side dry-run", () => {
    /** Runs kubectl with EDITOR and KUBE_EDITOR pointing at a script (kubectl's env is built from process.env). */
    const withEditor = async (script: string, args: string[]) => {
      const editor = path.join(tmp, `editor-${Math.random().toString(36).slice(2)}.sh`);
      fs.writeFileSync(editor, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
      const saved = { EDITOR: process.env.EDITOR, KUBE_EDITOR: process.env.KUBE_EDITOR };
      process.env.EDITOR = editor;
      process.env.KUBE_EDITOR = editor;
      try {
        return await h.kubectl(args, { allowFail: true });
      } finally {
        for (const [key, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      }
    };

    it("kubectl edit with a scripted editor lands the change and nothing else", async () => {
      const before = await live("deployment/shop");
      const res = await withEditor(`sed -i 's#image: nginx:1.27#image: nginx:1.28#' "$1"`, ["edit", "deployment/shop"]);
      expect(res.stderr).toBe("");
      expect(res.stdout).toBe("deployment.apps/shop edited\n");
      const after = await live("deployment/shop");
      const expected = structuredClone(before.spec);
      expected.template.spec.containers[0].image = "nginx:1.28";
      expect(after.spec).toEqual(expected);
      expect(after.metadata.labels).toEqual(before.metadata.labels);
      expect(after.metadata.generation).toBe(before.metadata.generation + 1);
      expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    });

    it("kubectl edit with an editor that changes nothing: cancelled, nothing written", async () => {
      const before = await live("deployment/shop");
      const res = await withEditor("true", ["edit", "deployment/shop"]);
      expect(res.code).toBe(0);
      expect(res.stderr).toBe("Edit cancelled, no changes made.\n");
      expect(await live("deployment/shop")).toEqual(before);
    });

    it("kubectl diff -f of a changed file: exit 1 and a unified diff of the change", async () => {
      // The live image is nginx:1.28 after the edit; the file says nginx:1.27.
      const before = versions(await liveOf(APP_V2));
      const res = await h.kubectl(["diff", "-f", APP_V2], { allowFail: true });
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout).toMatch(/^diff -u -N \S+\/apps\.v1\.Deployment\.default\.shop \S+$/m);
      expect(res.stdout).toMatch(/^--- \S+\/LIVE-\d+\/apps\.v1\.Deployment\.default\.shop\t/m);
      expect(res.stdout).toMatch(/^\+\+\+ \S+\/MERGED-\d+\/apps\.v1\.Deployment\.default\.shop\t/m);
      expect(res.stdout).toMatch(/^-\s+image: nginx:1\.28$/m);
      expect(res.stdout).toMatch(/^\+\s+image: nginx:1\.27$/m);
      // Only the deployment differs; the service and config map already match.
      expect(res.stdout).not.toContain("v1.Service.default.shop");
      expect(res.stdout).not.toContain("v1.ConfigMap.default.shop-config");
      // diff asks the server with dry-run: nothing was written.
      expect(versions(await liveOf(APP_V2))).toEqual(before);
    });

    it("kubectl diff -f of a file the cluster already matches: exit 0, no output", async () => {
      await h.kubectl(["apply", "-f", APP_V2]);
      const res = await h.kubectl(["diff", "-f", APP_V2], { allowFail: true });
      expect(res.stderr).toBe("");
      expect(res.stdout).toBe("");
      expect(res.code).toBe(0);
    });

    it("kubectl apply --dry-run=server computes the result but stores nothing", async () => {
      const before = await liveOf(APP_V2);
      const rev = await revision();
      // app.yaml is the older file: a different image, the metrics port and the tier label.
      const res = await h.kubectl(["apply", "--dry-run=server", "-f", APP, "-o", "json"]);
      const [deploy, , config] = JSON.parse(res.stdout).items as Obj[];
      expect(deploy?.spec.template.spec.containers[0].image).toBe("nginx:1.25");
      expect(deploy?.metadata.labels).toEqual({ app: "shop", tier: "web" });
      expect(config?.data).toEqual({ greeting: "hello", colour: "blue" });

      const text = await h.kubectl(["apply", "--dry-run=server", "-f", APP]);
      expect(text.stdout).toBe(
        "deployment.apps/shop configured (server dry run)\nservice/shop unchanged (server dry run)\n" +
          "configmap/shop-config configured (server dry run)\n",
      );
      expect(await liveOf(APP_V2)).toEqual(before);
      expect(await revision()).toBe(rev);
    });

    it("create and delete with --dry-run=server store nothing", async () => {
      const rev = await revision();
      const created = await h.kubectl(["create", "--dry-run=server", "-n", "fresh", "-f", DUO]);
      expect(created.stdout).toBe("deployment.apps/duo created (server dry run)\n");
      const deleted = await h.kubectl(["delete", "--dry-run=server", "deployment", "shop"]);
      expect(deleted.stdout).toBe('deployment.apps "shop" deleted (server dry run)\n');
      expect(await revision()).toBe(rev);
      const missing = await h.kubectl(["get", "-n", "fresh", "deployment", "duo"], { allowFail: true });
      expect(missing.stderr).toBe('Error from server (NotFound): deployments.apps "duo" not found\n');
      expect((await h.kubectl(["get", "deployment", "shop", "-o", "name"])).stdout).toBe("deployment.apps/shop\n");
    });
  });
});
