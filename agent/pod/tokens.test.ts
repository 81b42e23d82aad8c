import { describe, expect, it } from "vitest";
import type { PodTokenRequest } from "../../kube/agent-protocol.ts";
import type { Pod } from "../../kube/pod-types.ts";
import { tokenVolumeSource } from "../../kube/service-account-volume.ts";
import { ContainerConfigError } from "./env.ts";
import { PodTokenManager, tokenKey } from "./tokens.ts";

const pod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "team", uid: "u1" },
  spec: {
    containers: [],
    volumes: [
      { name: "kube-api-access-abcde", projected: tokenVolumeSource() },
      { name: "vault", projected: { sources: [{ serviceAccountToken: { audience: "vault", path: "t" } }] } },
    ],
  },
};

function setup() {
  const clock = { now: 1_000_000 };
  const asked: PodTokenRequest[] = [];
  let fail: string | undefined;
  const manager = new PodTokenManager(
    async (req) => {
      asked.push(req);
      if (fail) throw new Error(fail);
      const expires = clock.now + req.expirationSeconds * 1000;
      return { token: `t${asked.length}`, expirationTimestamp: new Date(expires).toISOString() };
    },
    () => clock.now,
    () => 0.5,
  );
  return { clock, asked, manager, failWith: (m: string | undefined) => (fail = m) };
}

describe("PodTokenManager", () => {
  it("asks once per projection, bound to the pod, and reuses the tokens", async () => {
    const { asked, manager } = setup();
    const first = await manager.tokensFor(pod);
    expect(asked).toEqual([
      { namespace: "team", podName: "web", podUID: "u1", expirationSeconds: 3607 },
      { namespace: "team", podName: "web", podUID: "u1", audience: "vault", expirationSeconds: 3600 },
    ]);
    expect(first).toEqual({ "|3607": "t1", "vault|3600": "t2" });
    expect(await manager.tokensFor(pod)).toEqual(first);
    expect(asked).toHaveLength(2);
  });

  it("refreshes a token once it is within 20% of its life (less the jitter) of expiring, as the kubelet", async () => {
    const { clock, asked, manager } = setup();
    await manager.tokensFor(pod);
    // Due after 80% of the life less 5 s of jitter: 2880.6 s for 3607 s, 2875 s for 3600 s.
    clock.now += 2870 * 1000;
    expect((await manager.tokensFor(pod))[tokenKey({ path: "token", expirationSeconds: 3607 })]).toBe("t1");
    expect(asked).toHaveLength(2);
    clock.now += 15 * 1000;
    const refreshed = await manager.tokensFor(pod);
    expect(refreshed["|3607"]).toBe("t3");
    expect(refreshed["vault|3600"]).toBe("t4");
  });

  it("keeps a valid token when a refresh fails, and fails the mount when none is valid (retrying after 5 s)", async () => {
    const { clock, asked, manager, failWith } = setup();
    await manager.tokensFor(pod);
    clock.now += 3000 * 1000;
    failWith("unreachable");
    expect((await manager.tokensFor(pod))["|3607"]).toBe("t1");
    clock.now += 700 * 1000;
    await expect(manager.tokensFor(pod)).rejects.toThrow(ContainerConfigError);
    await expect(manager.tokensFor(pod)).rejects.toThrow("failed to fetch token: unreachable");
    const before = asked.length;
    await manager.tokensFor(pod).catch(() => undefined);
    expect(asked.length).toBe(before);
    failWith(undefined);
    clock.now += 5001;
    expect((await manager.tokensFor(pod))["|3607"]).toMatch(/^t\d+$/);
  });

  it("forgets a pod's tokens: a pod of the same uid would ask again", async () => {
    const { asked, manager } = setup();
    await manager.tokensFor(pod);
    manager.forget("u1");
    await manager.tokensFor(pod);
    expect(asked).toHaveLength(4);
  });
});
