// Issue 20's quota and limit-range "must show" items with the real kubectl: `create quota`, the third
// `kubectl run` refused with upstream's message, `describe quota` following usage, a compute quota refusing
// a pod without requests; a LimitRange's default limit in `get pod -o yaml` and its max refusing a pod.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { until } from "./poll.ts";

describe("quotas and limit ranges with the real kubectl", () => {
  let h: Harness;
  const run = (args: string[], stdin?: string) => h.kubectl(args, { allowFail: true, stdin });

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("pods=2: the third kubectl run is refused, describe shows 2/2, a delete lets the next one in", async () => {
    await run(["create", "namespace", "quota"]);
    const created = await run(["create", "quota", "q", "--hard=pods=2", "-n", "quota"]);
    expect(created.stdout, created.stderr).toBe("resourcequota/q created\n");
    for (const name of ["one", "two"])
      expect((await run(["run", name, "--image=busybox:stable", "-n", "quota"])).code).toBe(0);
    const third = await run(["run", "three", "--image=busybox:stable", "-n", "quota"]);
    expect(third.code).not.toBe(0);
    expect(third.stderr).toContain(
      'Error from server (Forbidden): pods "three" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    );
    const described = await until("describe quota shows pods 2 2", async () => {
      const out = (await run(["describe", "quota", "q", "-n", "quota"])).stdout;
      return /^pods\s+2\s+2\s*$/m.test(out) ? out : undefined;
    });
    expect(described).toMatch(/^Resource\s+Used\s+Hard$/m);

    expect((await run(["delete", "pod", "one", "-n", "quota", "--grace-period=0", "--force"])).code).toBe(0);
    await until("pod one gone", async () =>
      (await run(["get", "pod", "one", "-n", "quota"])).code !== 0 ? true : undefined,
    );
    expect((await run(["run", "three", "--image=busybox:stable", "-n", "quota"])).code).toBe(0);
  });

  it("a compute quota refuses a pod without requests", async () => {
    await run(["create", "namespace", "compute"]);
    await run(["create", "quota", "cpu", "--hard=requests.cpu=1,limits.memory=1Gi", "-n", "compute"]);
    const bare = await run(["run", "bare", "--image=busybox:stable", "-n", "compute"]);
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toContain('pods "bare" is forbidden: failed quota: cpu: must specify limits.memory for: bare');
  });

  it("a LimitRange's default memory limit shows in the pod; a pod over max is refused", async () => {
    await run(["create", "namespace", "limits"]);
    const range = `apiVersion: v1
kind: LimitRange
metadata:
  name: mem-limit-range
spec:
  limits:
  - default:
      memory: 512Mi
    defaultRequest:
      memory: 256Mi
    max:
      memory: 1Gi
    type: Container
`;
    const applied = await run(["apply", "-n", "limits", "-f", "-"], range);
    expect(applied.stdout, applied.stderr).toBe("limitrange/mem-limit-range created\n");
    expect((await run(["run", "dflt", "--image=busybox:stable", "-n", "limits"])).code).toBe(0);
    const yaml = (await run(["get", "pod", "dflt", "-n", "limits", "-o", "yaml"])).stdout;
    expect(yaml).toMatch(/limits:\n\s+memory: 512Mi\n\s+requests:\n\s+memory: 256Mi/);
    expect(yaml).toContain("kubernetes.io/limit-ranger: 'LimitRanger plugin set: memory request for container");

    const huge = await run([
      "run",
      "huge",
      "--image=busybox:stable",
      "-n",
      "limits",
      "--overrides",
      JSON.stringify({
        spec: { containers: [{ name: "huge", image: "busybox:stable", resources: { limits: { memory: "2Gi" } } }] },
      }),
    ]);
    expect(huge.code).not.toBe(0);
    expect(huge.stderr).toContain(
      'pods "huge" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    );
    const described = (await run(["describe", "limitrange", "mem-limit-range", "-n", "limits"])).stdout;
    expect(described).toMatch(/^Container\s+memory\s+-\s+1Gi\s+256Mi\s+512Mi\s+-$/m);
  });
});
