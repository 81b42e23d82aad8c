// Jobs end to end in a real cluster object: the job controller makes pods on alarm ticks, a
// fake kubelet finishes them through the status subresource, and the status follows.
import { describe, expect, it } from "vitest";
import { type ClusterClient, newCluster } from "../testing/cluster-client.ts";
import { addNode, type Json, listPods, NS, putPodStatus, until } from "./workers-helpers.ts";

const JOBS = "/apis/batch/v1/namespaces/default/jobs";

function job(name: string, spec: Json = {}): Json {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name },
    spec: {
      template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } },
      ...spec,
    },
  };
}

/** What a kubelet writes when the pod's container exits. */
const finish = (c: ClusterClient, pod: Json, phase: "Succeeded" | "Failed") =>
  putPodStatus(c, pod.metadata.name, { phase });

const getJob = async (c: ClusterClient, name: string) => (await c.request("GET", `${JOBS}/${name}`)).body;
const live = (pods: Json[]) =>
  pods.filter((p) => !p.status?.phase || p.status.phase === "Pending" || p.status.phase === "Running");
const events = async (c: ClusterClient) => (await c.request("GET", `${NS}/events`)).body.items as Json[];

describe("job controller", () => {
  it("runs completions=3 with parallelism=2, never more than 2 active, and completes", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    expect((await c.request("POST", JOBS, job("pi", { completions: 3, parallelism: 2 }))).status).toBe(201);
    const j = await getJob(c, "pi");
    let maxActive = 0;
    let succeeded = 0;
    while (succeeded < 3) {
      const pods = await until(async () => {
        const items = live(await listPods(c, "job-name=pi")).filter((p) => !p.metadata.deletionTimestamp);
        return items.length > 0 ? items : undefined;
      }, "an active pod");
      maxActive = Math.max(maxActive, pods.length);
      const pod = pods[0];
      expect(pod.metadata.labels).toMatchObject({
        "batch.kubernetes.io/controller-uid": j.metadata.uid,
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": j.metadata.uid,
        "job-name": "pi",
      });
      expect(pod.metadata.finalizers).toContain("batch.kubernetes.io/job-tracking");
      expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: "Job", name: "pi", controller: true });
      expect(pod.spec.restartPolicy).toBe("Never");
      await finish(c, pod, "Succeeded");
      succeeded++;
      await until(async () => ((await getJob(c, "pi")).status?.succeeded === succeeded ? true : undefined), "count");
    }
    expect(maxActive).toBeLessThanOrEqual(2);
    const done = await until(async () => {
      const got = await getJob(c, "pi");
      return got.status?.conditions?.some((x: Json) => x.type === "Complete") ? got : undefined;
    }, "Complete");
    expect(done.status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(done.status.active).toBeUndefined();
    expect(done.status.completionTime).toBeDefined();
    expect(done.status.conditions.map((x: Json) => [x.type, x.status, x.reason])).toEqual([
      ["SuccessCriteriaMet", "True", "CompletionsReached"],
      ["Complete", "True", "CompletionsReached"],
    ]);
    // Counted pods lose the finalizer: deleting them loses nothing.
    const pods = await listPods(c, "job-name=pi");
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(p.metadata.finalizers ?? []).not.toContain("batch.kubernetes.io/job-tracking");
    for (const p of pods) await c.request("DELETE", `${NS}/pods/${p.metadata.name}?gracePeriodSeconds=0`);
    expect((await getJob(c, "pi")).status.succeeded).toBe(3);
    const table = await c.request("GET", `${JOBS}/pi`, undefined, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    expect(table.body.rows[0].cells.slice(1, 3)).toEqual(["Complete", "3/3"]);
    const reasons = (await events(c)).map((e) => `${e.reason}: ${e.message}`);
    expect(reasons.filter((r) => r.startsWith("SuccessfulCreate: Created pod: pi-"))).toHaveLength(3);
    expect(reasons).toContain("Completed: Job completed");
  });

  it("fails with BackoffLimitExceeded once failures pass backoffLimit", async () => {
    const c = await newCluster();
    await c.request("POST", JOBS, job("bad", { completions: 2, parallelism: 2, backoffLimit: 1 }));
    const pods = await until(async () => {
      const items = await listPods(c, "job-name=bad");
      return items.length === 2 ? items : undefined;
    }, "2 pods");
    for (const p of pods) await finish(c, p, "Failed");
    const failed = await until(async () => {
      const got = await getJob(c, "bad");
      return got.status?.conditions?.some((x: Json) => x.type === "Failed") ? got : undefined;
    }, "Failed");
    expect(failed.status).toMatchObject({ failed: 2, terminating: 0 });
    expect(failed.status.conditions.map((x: Json) => [x.type, x.reason, x.message])).toEqual([
      ["FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"],
      ["Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"],
    ]);
    expect(failed.status.completionTime).toBeUndefined();
    expect(await listPods(c, "job-name=bad")).toHaveLength(2); // no replacements
    const warning = (await events(c)).find((e) => e.reason === "BackoffLimitExceeded");
    expect(warning).toMatchObject({ type: "Warning", message: "Job has reached the specified backoff limit" });
  });

  it("fails with DeadlineExceeded after activeDeadlineSeconds and deletes its active pods", async () => {
    const c = await newCluster();
    // No node: the pods stay pending, and a pending pod is deleted at once.
    await c.request("POST", JOBS, job("slow", { parallelism: 2, completions: 4, activeDeadlineSeconds: 1 }));
    // The two pods live about a second: the events below show them made and deleted (a poll for them may miss it).
    const failed = await until(async () => {
      const got = await getJob(c, "slow");
      return got.status?.conditions?.some((x: Json) => x.type === "Failed") ? got : undefined;
    }, "DeadlineExceeded");
    const byType = Object.fromEntries(failed.status.conditions.map((x: Json) => [x.type, x]));
    expect(byType.Failed).toMatchObject({
      status: "True",
      reason: "DeadlineExceeded",
      message: "Job was active longer than specified deadline",
    });
    expect(failed.status).toMatchObject({ failed: 2, terminating: 0 });
    expect(failed.status.active).toBeUndefined();
    expect(await listPods(c, "job-name=slow")).toHaveLength(0);
    const reasons = (await events(c)).map((e) => e.reason);
    expect(reasons.filter((r) => r === "SuccessfulCreate")).toHaveLength(2);
    expect(reasons.filter((r) => r === "SuccessfulDelete")).toHaveLength(2);
    expect(reasons).toContain("DeadlineExceeded");
  });

  it("deletes a finished job ttlSecondsAfterFinished later, with its pods", async () => {
    const c = await newCluster();
    await c.request("POST", JOBS, job("once", { ttlSecondsAfterFinished: 2 }));
    const [pod] = await until(async () => {
      const items = await listPods(c, "job-name=once");
      return items.length === 1 ? items : undefined;
    }, "a pod");
    await finish(c, pod, "Succeeded");
    await until(async () => ((await getJob(c, "once")).status?.succeeded === 1 ? true : undefined), "succeeded");
    expect((await c.request("GET", `${JOBS}/once`)).status).toBe(200);
    await until(async () => ((await c.request("GET", `${JOBS}/once`)).status === 404 ? true : undefined), "ttl", 8000);
    await until(async () => ((await listPods(c, "job-name=once")).length === 0 ? true : undefined), "pods gone");
  });

  it("runs Indexed jobs with one pod per index and reports completedIndexes", async () => {
    const c = await newCluster();
    await c.request("POST", JOBS, job("idx", { completions: 3, parallelism: 3, completionMode: "Indexed" }));
    const pods = await until(async () => {
      const items = await listPods(c, "job-name=idx");
      return items.length === 3 ? items : undefined;
    }, "3 pods");
    const indexes = pods.map((p) => p.metadata.annotations["batch.kubernetes.io/job-completion-index"]).sort();
    expect(indexes).toEqual(["0", "1", "2"]);
    for (const p of pods) {
      const i = p.metadata.annotations["batch.kubernetes.io/job-completion-index"];
      expect(p.spec.hostname).toBe(`idx-${i}`);
      expect(p.metadata.name.startsWith(`idx-${i}-`)).toBe(true);
      expect(p.spec.containers[0].env).toContainEqual({
        name: "JOB_COMPLETION_INDEX",
        valueFrom: {
          fieldRef: { apiVersion: "v1", fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
        },
      });
    }
    const byIndex = (i: string) =>
      pods.find((p) => p.metadata.annotations["batch.kubernetes.io/job-completion-index"] === i);
    await finish(c, byIndex("0"), "Succeeded");
    await finish(c, byIndex("2"), "Succeeded");
    await until(async () => ((await getJob(c, "idx")).status?.completedIndexes === "0,2" ? true : undefined), "0,2");
    await finish(c, byIndex("1"), "Succeeded");
    const done = await until(async () => {
      const got = await getJob(c, "idx");
      return got.status?.conditions?.some((x: Json) => x.type === "Complete") ? got : undefined;
    }, "Complete");
    expect(done.status).toMatchObject({ succeeded: 3, completedIndexes: "0-2" });
  });

  it("suspends (deleting active pods) and resumes", async () => {
    const c = await newCluster();
    await c.request("POST", JOBS, job("sus", { parallelism: 1, completions: 1 }));
    await until(async () => ((await listPods(c, "job-name=sus")).length === 1 ? true : undefined), "a pod");
    const merge = { "content-type": "application/merge-patch+json" };
    await c.request("PATCH", `${JOBS}/sus`, { spec: { suspend: true } }, merge);
    const suspended = await until(async () => {
      const got = await getJob(c, "sus");
      const cond = got.status?.conditions?.find((x: Json) => x.type === "Suspended");
      return cond?.status === "True" && (await listPods(c, "job-name=sus")).length === 0 ? got : undefined;
    }, "suspended");
    expect(suspended.status.conditions[0]).toMatchObject({ reason: "JobSuspended", message: "Job suspended" });
    const table = await c.request("GET", `${JOBS}/sus`, undefined, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    expect(table.body.rows[0].cells[1]).toBe("Suspended");
    await c.request("PATCH", `${JOBS}/sus`, { spec: { suspend: false } }, merge);
    const resumed = await until(async () => {
      const got = await getJob(c, "sus");
      const cond = got.status?.conditions?.find((x: Json) => x.type === "Suspended");
      return cond?.status === "False" && (await listPods(c, "job-name=sus")).length === 1 ? got : undefined;
    }, "resumed");
    expect(resumed.status.conditions[0]).toMatchObject({ reason: "JobResumed", message: "Job resumed" });
  });
});
