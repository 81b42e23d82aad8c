// The harness's kubectl helpers, against stand-in kubectl scripts (no server needed).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findKubectl, kubectlBinaries, kubectlEnv, requireKubectl, runKubectl, watchKubectl } from "./kubectl.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-kubectl-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function script(file: string, body: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

// Like the Google Cloud CLI: PATH holds a symlink; the versioned builds sit beside the real binary.
const sdkBin = path.join(root, "sdk", "bin");
const fakeKubectl = script(
  path.join(sdkBin, "kubectl"),
  `case "$1" in
  fail) echo "boom" >&2; exit 3 ;;
  stdin) cat ;;
  env) echo "$KUBECONFIG $KUBECACHEDIR" ;;
  sleep) sleep 30 ;;
  lines) echo one; sleep 0.2; echo two; sleep 0.2; echo three; sleep 30 ;;
  *) echo "args: $*" ;;
esac`,
);
script(path.join(sdkBin, "kubectl.1.27"), "echo 1.27");
script(path.join(sdkBin, "kubectl.1.30"), "echo 1.30");
const onPath = path.join(root, "usr", "bin");
fs.mkdirSync(onPath, { recursive: true });
fs.symlinkSync(fakeKubectl, path.join(onPath, "kubectl"));
// The scripts need sleep and cat from the system; our directory comes first, so its kubectl wins.
const PATH = [path.join(root, "empty"), onPath, "/usr/bin", "/bin"].join(path.delimiter);
const env = { ...kubectlEnv("/k/config", "/k/cache"), PATH };

describe("finding kubectl", () => {
  it("searches PATH in order and lists the versioned builds that exist beside the real binary", () => {
    expect(findKubectl(PATH)).toBe(path.join(onPath, "kubectl"));
    expect(kubectlBinaries(PATH)).toEqual([
      { name: "kubectl", path: path.join(onPath, "kubectl") },
      { name: "kubectl.1.27", path: path.join(sdkBin, "kubectl.1.27") },
    ]);
  });

  it("says clearly when kubectl is missing", () => {
    expect(findKubectl(path.join(root, "empty"))).toBeUndefined();
    expect(() => requireKubectl(path.join(root, "empty"))).toThrow(/kubectl is not on PATH/);
    expect(() => kubectlBinaries("")).toThrow(/kubectl is not on PATH/);
  });
});

describe("runKubectl", () => {
  it("passes arguments, stdin and the kubeconfig environment", async () => {
    expect((await runKubectl(env, ["get", "pods", "-o", "wide"])).stdout).toBe("args: get pods -o wide\n");
    expect((await runKubectl(env, ["stdin"], { stdin: "kind: Pod\n" })).stdout).toBe("kind: Pod\n");
    expect((await runKubectl(env, ["env"])).stdout).toBe("/k/config /k/cache\n");
  });

  it("throws on failure with stderr, or returns the code with allowFail", async () => {
    await expect(runKubectl(env, ["fail"])).rejects.toThrow(/kubectl fail exited 3\nstderr: boom/);
    await expect(runKubectl(env, ["fail"], { allowFail: true })).resolves.toEqual({
      code: 3,
      stdout: "",
      stderr: "boom\n",
    });
  });

  it("kills kubectl at the timeout", async () => {
    await expect(runKubectl(env, ["sleep"], { timeoutMs: 200 })).rejects.toThrow(/timed out after 200 ms/);
  });

  it("runs another build when asked", async () => {
    const result = await runKubectl(env, [], { binary: path.join(sdkBin, "kubectl.1.27") });
    expect(result.stdout).toBe("1.27\n");
  });
});

describe("watchKubectl", () => {
  it("resolves on lines as they arrive and stops the process", async () => {
    const watch = watchKubectl(env, ["lines"]);
    expect(await watch.waitFor(/two/, 5_000)).toBe("two");
    expect(await watch.waitFor((line) => line.startsWith("th"), 5_000)).toBe("three");
    expect(await watch.waitFor(/one/, 10)).toBe("one"); // already seen
    const result = await watch.stop();
    expect(result.stdout).toBe("one\ntwo\nthree\n");
    expect(watch.lines).toEqual(["one", "two", "three"]);
  });

  it("rejects on timeout, and when kubectl exits before a match", async () => {
    const slow = watchKubectl(env, ["sleep"]);
    await expect(slow.waitFor(/x/, 100)).rejects.toThrow(/no matching line within 100 ms/);
    await slow.stop();
    const failing = watchKubectl(env, ["fail"]);
    await expect(failing.waitFor(/x/, 5_000)).rejects.toThrow(/exited 3 before a match[\s\S]*boom/);
  });
});
