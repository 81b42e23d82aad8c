// Bad input through the real kubectl (and raw HTTPS where kubectl would refuse to send it): upstream's error
// messages, and the stored state is exactly what it was before.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const MiB = 1024 * 1024;

/** Lists whose contents a failed request must not touch. */
const WATCHED_LISTS = [
  "/api/v1/namespaces",
  "/api/v1/namespaces/default/pods",
  "/api/v1/namespaces/default/configmaps",
  "/apis/apps/v1/namespaces/default/deployments",
];

interface Snapshot {
  /** Per list: its resourceVersion and every item as "name@resourceVersion". */
  [list: string]: { resourceVersion: string; items: string[] };
}

describe("kubectl errors leave the state unchanged", () => {
  let h: Harness;
  let tmp: string;

  const snapshot = async (): Promise<Snapshot> => {
    const snap: Snapshot = {};
    for (const list of WATCHED_LISTS) {
      const res = await h.api(list);
      expect(res.status, `${list}: ${res.body}`).toBe(200);
      const body = JSON.parse(res.body) as {
        metadata: { resourceVersion: string };
        items: { metadata: { name: string; resourceVersion: string } }[];
      };
      snap[list] = {
        resourceVersion: body.metadata.resourceVersion,
        items: body.items.map((i) => `${i.metadata.name}@${i.metadata.resourceVersion}`).sort(),
      };
    }
    return snap;
  };

  /** Runs a kubectl that must fail, checks the state did not move, and returns its stderr. */
  const failing = async (args: string[], stdin?: string): Promise<string> => {
    const before = await snapshot();
    const res = await h.kubectl(args, { allowFail: true, stdin });
    expect(res.code, `kubectl ${args.join(" ")} should fail\nstdout: ${res.stdout}`).not.toBe(0);
    expect(await snapshot()).toEqual(before);
    return res.stderr;
  };

  const writeJson = (name: string, obj: unknown): string => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify(obj));
    return file;
  };

  beforeAll(async () => {
    requireKubectl();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-e2e-errors-"));
    h = await startHarness();
    // Some state for the failures to (not) disturb.
    await h.kubectl(["run", "keeper", "--image=nginx"]);
    await h.kubectl(["create", "-f", path.join(FIXTURES, "deployment-web.yaml")]);
    // The deployment controller answers with a replica set, pods and status: let it finish first.
    let last = "";
    for (let stable = 0; stable < 3; ) {
      await new Promise((r) => setTimeout(r, 300));
      const rv = JSON.parse((await h.api("/api/v1/namespaces")).body).metadata.resourceVersion as string;
      stable = rv === last ? stable + 1 : 0;
      last = rv;
    }
  });
  afterAll(async () => {
    await h?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("malformed YAML: kubectl cannot convert it to JSON", async () => {
    const file = path.join(FIXTURES, "broken.yaml");
    const stderr = await failing(["create", "-f", file]);
    expect(stderr).toContain(`error: error parsing ${file}: error converting YAML to JSON: yaml: line`);
  });

  it("malformed JSON body: 400 BadRequest Status", async () => {
    const before = await snapshot();
    const res = await h.api("/api/v1/namespaces/default/configmaps", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"half"',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason: "BadRequest",
      code: 400,
    });
    expect(await snapshot()).toEqual(before);
  });

  it("unknown kind: no matches for kind", async () => {
    const stderr = await failing(["create", "-f", path.join(FIXTURES, "unknown-kind.yaml")]);
    expect(stderr).toContain('no matches for kind "Foo" in version "v1"');
  });

  it("invalid name: metadata.name is invalid", async () => {
    const stderr = await failing(["run", "Bad_Name", "--image=nginx"]);
    expect(stderr).toContain('The Pod "Bad_Name" is invalid:');
    expect(stderr).toContain(
      'metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case ' +
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  });

  it("stale resourceVersion: replace of an old copy conflicts", async () => {
    await h.kubectl(["run", "stale", "--image=nginx"]);
    const saved = path.join(tmp, "stale.yaml");
    fs.writeFileSync(saved, (await h.kubectl(["get", "pod", "stale", "-o", "yaml"])).stdout);
    await h.kubectl(["label", "pod", "stale", "changed=yes"]);
    const stderr = await failing(["replace", "-f", saved]);
    expect(stderr).toContain(
      `Error from server (Conflict): error when replacing "${saved}": Operation cannot be fulfilled on pods "stale": ` +
        "the object has been modified; please apply your changes to the latest version and try again",
    );
    const labels = (await h.kubectl(["get", "pod", "stale", "-o", "jsonpath={.metadata.labels.changed}"])).stdout;
    expect(labels).toBe("yes");
  });

  it("config map data is limited to 1 MiB: 422 Too long, the limit itself is fine", async () => {
    const configMap = (name: string, bytes: number) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name },
      data: { blob: "x".repeat(bytes) },
    });
    const stderr = await failing(["create", "-f", writeJson("too-big.json", configMap("too-big", MiB + 1))]);
    expect(stderr).toMatch(/The ConfigMap "too-big" is invalid: .*Too long: .*1048576 bytes/);

    const atLimit = await h.kubectl(["create", "-f", writeJson("at-limit.json", configMap("at-limit", MiB))]);
    expect(atLimit.stdout).toBe("configmap/at-limit created\n");
    await h.kubectl(["delete", "configmap", "at-limit"]);
  });

  it("a 2 MiB pod is too large: 413 RequestEntityTooLarge", async () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "huge" },
      spec: { containers: [{ name: "c", image: "busybox", args: ["y".repeat(2 * MiB)] }] },
    };
    const file = writeJson("huge.json", pod);
    const stderr = await failing(["create", "-f", file]);
    expect(stderr).toContain(
      `Error from server (RequestEntityTooLarge): error when creating "${file}": Request entity too large`,
    );
    const res = await h.api("/api/v1/namespaces/default/pods", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(pod),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ kind: "Status", reason: "RequestEntityTooLarge", code: 413 });
  });

  it("a namespaced object in a missing namespace: namespace not found", async () => {
    const stderr = await failing(["-n", "nope", "run", "x", "--image=nginx"]);
    expect(stderr.trim()).toBe('Error from server (NotFound): namespaces "nope" not found');
  });
});
