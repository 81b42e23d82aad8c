// Helm end to end: `helm create`'s scaffold chart installed, upgraded, rolled back and uninstalled with
// helm 3.17 and helm 4.1 (fetched by .ci/helm-tools.sh). Helm keeps releases in Secrets through client-go's
// typed client (protobuf bodies: uninstall DELETEs them with a DeleteOptions body), and applies the chart
// through its own resource client. Pods stay Pending (no node here); nothing waits for them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { HELMS, missingHelms, runHelm } from "./helm-tools.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const missing = missingHelms("helm tests");

describe.skipIf(missing.length > 0)("helm", () => {
  let h: Harness;
  let tmp: string;

  beforeAll(async () => {
    requireKubectl();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-helm-"));
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const helm = (binary: string, args: string[]) => runHelm(h, tmp, binary, args);
  const kubectlJson = async (...args: string[]): Promise<Json> =>
    JSON.parse((await h.kubectl([...args, "-o", "json"])).stdout);

  it.each(HELMS)(
    "helm $version: install, upgrade, rollback, uninstall of the scaffold chart",
    async ({ version, binary }) => {
      const ns = `helm-${version.replace(".", "-")}`;
      fs.mkdirSync(path.join(tmp, ns));
      const chart = path.join(tmp, ns, "demo");
      await helm(binary, ["create", chart]);
      // The scaffold names its objects after the release ("demo", which contains the chart's name).
      const release = "demo";
      // Every release whatever its state (an uninstall left half-done shows as "uninstalling"): helm 3 needs
      // --all for that, helm 4 lists them all by default and has no such flag.
      const all = version.startsWith("3.") ? ["--all"] : [];
      const list = async (): Promise<Json[]> =>
        JSON.parse((await helm(binary, ["list", ...all, "-n", ns, "-o", "json"])).stdout);
      const deployment = () => kubectlJson("-n", ns, "get", "deployment", release);

      await helm(binary, ["install", release, chart, "-n", ns, "--create-namespace"]);
      expect(await list()).toMatchObject([{ name: release, namespace: ns, revision: "1", status: "deployed" }]);
      expect((await deployment()).spec.replicas).toBe(1);
      const svc = await kubectlJson("-n", ns, "get", "service", release);
      expect(svc.spec.ports[0].port).toBe(80);
      expect((await kubectlJson("-n", ns, "get", "serviceaccount", release)).metadata.labels).toMatchObject({
        "app.kubernetes.io/managed-by": "Helm",
      });

      await helm(binary, ["upgrade", release, chart, "-n", ns, "--set", "replicaCount=3,service.port=8080"]);
      expect(await list()).toMatchObject([{ name: release, revision: "2", status: "deployed" }]);
      expect((await deployment()).spec.replicas).toBe(3);
      expect((await kubectlJson("-n", ns, "get", "service", release)).spec.ports[0].port).toBe(8080);

      await helm(binary, ["rollback", release, "1", "-n", ns]);
      expect(await list()).toMatchObject([{ name: release, revision: "3", status: "deployed" }]);
      expect((await deployment()).spec.replicas).toBe(1);
      const history: Json[] = JSON.parse((await helm(binary, ["history", release, "-n", ns, "-o", "json"])).stdout);
      expect(history.map((r) => [r.revision, r.status])).toEqual([
        [1, "superseded"],
        [2, "superseded"],
        [3, "deployed"],
      ]);
      const releases = await kubectlJson("-n", ns, "get", "secrets", "-l", "owner=helm");
      expect(releases.items.map((s: Json) => s.metadata.name).sort()).toEqual(
        [1, 2, 3].map((n) => `sh.helm.release.v1.${release}.v${n}`),
      );

      const uninstall = await helm(binary, ["uninstall", release, "-n", ns]);
      expect(uninstall.stdout).toContain(`release "${release}" uninstalled`);
      expect(await list()).toEqual([]);
      expect(
        (await kubectlJson("-n", ns, "get", "secrets")).items.filter((s: Json) =>
          s.metadata.name.startsWith("sh.helm.release.v1."),
        ),
      ).toEqual([]);
      for (const kind of ["deployment", "service", "serviceaccount"]) {
        const gone = await h.kubectl(["-n", ns, "get", kind, release], { allowFail: true });
        expect(gone.stderr, kind).toMatch(/NotFound|not found/);
      }
    },
  );
});
