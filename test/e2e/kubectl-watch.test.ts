// `kubectl get -w` in one process sees the changes another kubectl makes, as upstream prints them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type KubectlWatch, requireKubectl, startHarness } from "./harness.ts";

const HEADER = /^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/;

/** Index of the first line matching, failing with the whole output when there is none. */
function lineIndex(lines: string[], re: RegExp): number {
  const i = lines.findIndex((l) => re.test(l));
  expect(i, `${re} in:\n${lines.join("\n")}`).toBeGreaterThanOrEqual(0);
  return i;
}

describe("kubectl get -w", () => {
  let h: Harness;
  const watches: KubectlWatch[] = [];
  const watch = (...args: string[]) => {
    const w = h.watchKubectl(args);
    watches.push(w);
    return w;
  };

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    for (const w of watches) await w.stop();
    await h?.stop();
  });

  it("prints ADDED, MODIFIED and DELETED for run, label and delete", async () => {
    const w = watch("get", "pods", "-w", "--output-watch-events");
    await h.kubectl(["run", "w1", "--image=nginx"]);
    await w.waitFor(/^ADDED\s+w1\s+0\/1\s+Pending\s+0\s+\d+s$/);
    await h.kubectl(["label", "pod", "w1", "stage=two"]);
    await w.waitFor(/^MODIFIED\s+w1\s+0\/1\s+Pending\s+0\s+\d+s$/);
    await h.kubectl(["delete", "pod", "w1"]);
    await w.waitFor(/^DELETED\s+w1\s/);
    const { stdout } = await w.stop();
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(HEADER);
    const added = lineIndex(lines, /^ADDED\s+w1\s/);
    const modified = lineIndex(lines, /^MODIFIED\s+w1\s/);
    const deleted = lineIndex(lines, /^DELETED\s+w1\s/);
    expect(added).toBeLessThan(modified);
    expect(modified).toBeLessThan(deleted);
    expect(lines.slice(deleted + 1)).toEqual([]);
  });

  it("a label selector filters the events", async () => {
    const w = watch("get", "pods", "-l", "app=blue", "-w", "--output-watch-events");
    // green first: once blue's event arrives, green's (older) event would have arrived before it.
    await h.kubectl(["run", "green", "--image=nginx", "--labels=app=green"]);
    await h.kubectl(["run", "blue", "--image=nginx", "--labels=app=blue"]);
    await w.waitFor(/^ADDED\s+blue\s/);
    // A pod relabelled out of the selector is DELETED from the watcher's point of view.
    await h.kubectl(["label", "pod", "blue", "app=green", "--overwrite"]);
    await w.waitFor(/^DELETED\s+blue\s/);
    const { stdout } = await w.stop();
    expect(stdout).not.toMatch(/green/);
    await h.kubectl(["delete", "pods", "green", "blue"]);
  });

  it("a watch on one pod by name ignores the others", async () => {
    await h.kubectl(["run", "solo", "--image=nginx"]);
    await h.kubectl(["run", "other", "--image=nginx"]);
    const w = watch("get", "pod", "solo", "-w", "--output-watch-events");
    await w.waitFor(/^ADDED\s+solo\s/);
    await h.kubectl(["annotate", "pod", "other", "touched=yes"]);
    await h.kubectl(["annotate", "pod", "solo", "touched=yes"]);
    await w.waitFor(/^MODIFIED\s+solo\s/);
    const { stdout } = await w.stop();
    expect(stdout).not.toMatch(/other/);
    await h.kubectl(["delete", "pods", "solo", "other"]);
  });
});
