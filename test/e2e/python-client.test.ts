// The official Python client (Debian's python3-kubernetes, run by /usr/bin/python3) against a cluster: version,
// list, watch (its booleans arrive as `watch=True`), server-side apply with force=True, delete with
// orphanDependents=True. The script is test/e2e/fixtures/python-client.py; here its reports are checked
// against what kubectl then reads.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { runProcess } from "./kubectl.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

// Debian's package installs into the system Python; a python3 earlier on PATH (pyenv) does not see it.
const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(import.meta.dirname, "fixtures/python-client.py");
const inCi = process.env.CI === "true" || process.env.CI === "1";

const available = fs.existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import kubernetes"]).status === 0;
if (!available && inCi) throw new Error(`${PYTHON} cannot import kubernetes: .ci/run installs python3-kubernetes`);
if (!available) console.warn(`skipping the Python client test: apt-get install python3-kubernetes (for ${PYTHON})`);

describe.skipIf(!available)("the Python client", () => {
  let h: Harness;

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("reads the version, lists and watches pods, applies with force=True, deletes with orphanDependents=True", async () => {
    const ns = "python";
    await h.kubectl(["create", "namespace", ns]);
    // A field the Python client's apply will have to take over.
    const owned = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared"},"data":{"owner":"kubectl"}}';
    await h.kubectl(["apply", "--server-side", "--field-manager=other", "-n", ns, "-f", "-"], { stdin: owned });

    const result = await runProcess(PYTHON, process.env, [SCRIPT, h.flotilla.kubeconfigPath, ns], {
      allowFail: true,
      timeoutMs: 100_000,
    });
    expect(result.code, `stderr: ${result.stderr}\nstdout: ${result.stdout}`).toBe(0);
    const steps: Record<string, Json> = Object.fromEntries(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
        .map((r) => [r.step, r]),
    );

    expect(steps.version).toMatchObject({ major: "1", minor: "32" });
    expect(steps.list.names).toEqual(["listed"]);
    // From the list's resourceVersion: the pod created while watching, and nothing from before.
    expect(steps.watch.events).toContainEqual(["ADDED", "watched"]);
    expect(steps.watch.events).not.toContainEqual(["ADDED", "listed"]);
    expect(steps["apply-conflict"]).toEqual({ step: "apply-conflict", status: 409, reason: "Conflict" });
    expect(steps["apply-force"].data).toEqual({ owner: "python" });
    expect(steps["apply-force"].managers).toContain("python-client");

    const cm = JSON.parse(
      (await h.kubectl(["get", "configmap", "shared", "-n", ns, "-o", "json", "--show-managed-fields"])).stdout,
    );
    expect(cm.data).toEqual({ owner: "python" });
    const python = cm.metadata.managedFields.find((m: Json) => m.manager === "python-client");
    expect(python).toMatchObject({ operation: "Apply", fieldsV1: { "f:data": { "f:owner": {} } } });

    expect(steps.delete.status).toBe("ok");
    const listedPod = await h.kubectl(["get", "pod", "listed", "-n", ns], { allowFail: true });
    expect(listedPod.stderr).toContain('pods "listed" not found');
  });
});
