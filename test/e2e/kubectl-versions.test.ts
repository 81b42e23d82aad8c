// A compact kubectl session with every supported build: the oldest (1.27, v2beta1 aggregated discovery),
// the newest (1.33) and the dispatcher on PATH.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Harness, type KubectlBinary, kubectlBinaries, startHarness } from "./harness.ts";

const BUNDLE = path.join(import.meta.dirname, "fixtures", "app-bundle.yaml");

// Throws (failing the file, never skipping it) when kubectl is not on PATH.
const BINARIES = kubectlBinaries();

describe("kubectl builds", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("kubectl.1.27 and kubectl.1.33 sit beside kubectl", () => {
    expect(
      BINARIES.map((b) => b.name),
      `found: ${JSON.stringify(BINARIES)}`,
    ).toEqual(["kubectl", "kubectl.1.27", "kubectl.1.33"]);
  });

  it.each(BINARIES)("$name: version, discovery, run, get, create/delete -f, scale, watch", async (b: KubectlBinary) => {
    const ns = `ns-${b.name.replace(/\W/g, "-")}`;
    const k = (args: string[], stdin?: string) => h.kubectl(args, { binary: b.path, stdin });
    const out = async (...args: string[]) => (await k(args)).stdout;
    const inNs = (...args: string[]) => out("-n", ns, ...args);

    // -o json: 1.27 still prints version.Info{…} structs by default, 1.28+ the short form.
    const version = JSON.parse(await out("version", "-o", "json"));
    expect(version.serverVersion).toMatchObject({ major: "1", minor: "32" });
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.32\.\d+/);
    const clientMinor = /^kubectl\.1\.(\d+)$/.exec(b.name)?.[1];
    if (clientMinor) expect(version.clientVersion.minor).toBe(clientMinor);

    const resources = await out("api-resources");
    expect(resources).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m);
    expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources).toMatch(/^jobs\s+batch\/v1\s+true\s+Job$/m);

    await k(["create", "-f", "-"], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
    const namespaces = await out("get", "ns");
    expect(namespaces).toMatch(/^NAME\s+STATUS\s+AGE$/m);
    expect(namespaces).toMatch(new RegExp(`^${ns}\\s+Active\\s+\\d+s$`, "m"));
    expect(namespaces).toMatch(/^default\s+Active\s/m);

    expect(await inNs("run", "web", "--image=nginx")).toBe("pod/web created\n");
    const pods = await inNs("get", "pods");
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb\s+0\/1\s+Pending\s+0\s+\d+s\n$/);
    const pod = parse(await inNs("get", "pod", "web", "-o", "yaml"));
    expect(pod).toMatchObject({
      metadata: { name: "web", namespace: ns },
      spec: { restartPolicy: "Always", containers: [{ image: "nginx", imagePullPolicy: "Always" }] },
      status: { phase: "Pending" },
    });

    expect((await inNs("create", "-f", BUNDLE)).trim().split("\n")).toEqual([
      "deployment.apps/shop created",
      "service/shop created",
      "configmap/shop-config created",
      "secret/shop-secret created",
    ]);
    expect(await inNs("scale", "deployment", "shop", "--replicas=3")).toBe("deployment.apps/shop scaled\n");
    expect(await inNs("get", "deployment", "shop", "-o", "jsonpath={.spec.replicas}")).toBe("3");
    expect(await inNs("get", "deploy,svc,cm,secret", "-o", "name")).toBe(
      "deployment.apps/shop\nservice/shop\nconfigmap/kube-root-ca.crt\nconfigmap/shop-config\nsecret/shop-secret\n",
    );
    expect((await inNs("delete", "-f", BUNDLE)).trim().split("\n")).toEqual([
      'deployment.apps "shop" deleted',
      'service "shop" deleted',
      'configmap "shop-config" deleted',
      'secret "shop-secret" deleted',
    ]);
    expect(await inNs("get", "deploy,svc,cm,secret", "-o", "name")).toBe("configmap/kube-root-ca.crt\n");

    const w = h.watchKubectl(["-n", ns, "get", "pods", "-w", "--output-watch-events"], { binary: b.path });
    try {
      await w.waitFor(/^ADDED\s+web\s+0\/1\s+Pending\s/);
      await inNs("run", "watched", "--image=nginx");
      await w.waitFor(/^ADDED\s+watched\s/);
      await inNs("label", "pod", "watched", "seen=yes");
      await w.waitFor(/^MODIFIED\s+watched\s/);
      await inNs("delete", "pod", "watched");
      await w.waitFor(/^DELETED\s+watched\s/);
    } finally {
      await w.stop();
    }
    await inNs("delete", "pod", "web");
  });
});
