// The pod's ServiceAccount token on a real container (Podman): the agent writes the token the cluster
// gives it into the kube-api-access projected volume beside ca.crt and namespace, and rewrites it in place
// (the container keeps running) once the token is within 20% of its life of expiring. The cluster's
// answers are stood in for here (the object's side has its own tests): this is about the agent.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PodTokenRequest } from "../../../kube/agent-protocol.ts";
import { TOKEN_MOUNT_PATH, tokenVolumeSource } from "../../../kube/service-account-volume.ts";
import { PodTokenManager } from "../../pod/tokens.ts";
import { BUSYBOX, configMap, Harness, makePod, podmanGate } from "./testing/harness.ts";

const podman = await podmanGate("ServiceAccount token Podman tests");

describe.skipIf(podman.skip)("projected ServiceAccount tokens on Podman", () => {
  let h: Harness;
  beforeAll(() => {
    podman.require();
  });
  afterEach(async () => {
    await h?.cleanup();
  });

  it("writes token, ca.crt and namespace, and refreshes the token before it expires", async () => {
    const clock = { now: Date.now() };
    const asked: PodTokenRequest[] = [];
    h = new Harness();
    h.podTokens = new PodTokenManager(
      async (req) => {
        asked.push(req);
        const expires = clock.now + req.expirationSeconds * 1000;
        return { token: `token-${asked.length}`, expirationTimestamp: new Date(expires).toISOString() };
      },
      () => clock.now,
    );
    await h.start();
    const pod = makePod(
      "reader",
      {
        serviceAccountName: "default",
        volumes: [{ name: "kube-api-access-x2b4z", projected: tokenVolumeSource() }],
        containers: [
          {
            name: "main",
            image: BUSYBOX,
            imagePullPolicy: "IfNotPresent",
            command: ["sleep", "3600"],
            volumeMounts: [{ name: "kube-api-access-x2b4z", readOnly: true, mountPath: TOKEN_MOUNT_PATH }],
          },
        ],
      },
      "team",
    );
    const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    h.run(pod, [configMap("kube-root-ca.crt", { "ca.crt": ca })]);
    await h.waitFor(pod, (s) => s.phase === "Running");
    const read = (file: string) => h.exec("main", ["cat", `${TOKEN_MOUNT_PATH}/${file}`]);
    expect(await read("token")).toBe("token-1");
    expect(await read("ca.crt")).toBe(ca);
    expect(await read("namespace")).toBe("team");
    expect(asked).toEqual([
      { namespace: "team", podName: "reader", podUID: pod.metadata.uid, expirationSeconds: 3607 },
    ]);

    // 80% of 3607 s later (plus the most jitter could take off), the next pass fetches and rewrites it.
    clock.now += 2900 * 1000;
    const deadline = Date.now() + 20_000;
    while ((await read("token")) !== "token-2" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await read("token")).toBe("token-2");
    const status = await h.waitFor(pod, (s) => s.phase === "Running");
    expect(status.containerStatuses?.[0].restartCount).toBe(0);
    expect(asked).toHaveLength(2);
  });
});
