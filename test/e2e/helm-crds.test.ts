// Helm with CRDs: a chart whose crds/ folder holds a CustomResourceDefinition and whose templates create
// objects of it installs with helm 3.17 and 4.1 (helm creates the CRDs, waits for them to be Established,
// refreshes discovery, then applies the templates), and uninstalls its objects (the CRD stays, as helm
// leaves CRDs alone by design).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { HELMS, missingHelms, runHelm } from "./helm-tools.ts";
import { until } from "./poll.ts";

const CHARTS = [
  { ...HELMS[0], plural: "gizmos", kind: "Gizmo" },
  { ...HELMS[1], plural: "doodads", kind: "Doodad" },
];
const missing = missingHelms("helm CRD tests");

function writeChart(dir: string, plural: string, kind: string): void {
  fs.mkdirSync(path.join(dir, "crds"), { recursive: true });
  fs.mkdirSync(path.join(dir, "templates"), { recursive: true });
  fs.writeFileSync(path.join(dir, "Chart.yaml"), `apiVersion: v2\nname: ${plural}\nversion: 0.1.0\n`);
  fs.writeFileSync(
    path.join(dir, "crds", `${plural}.yaml`),
    `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.helm.example.com
spec:
  group: helm.example.com
  names: {plural: ${plural}, singular: ${plural.slice(0, -1)}, kind: ${kind}}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                colour: {type: string, default: blue}
`,
  );
  fs.writeFileSync(
    path.join(dir, "templates", "object.yaml"),
    `apiVersion: helm.example.com/v1\nkind: ${kind}\nmetadata:\n  name: {{ .Release.Name }}\nspec: {}\n`,
  );
}

describe.skipIf(missing.length > 0)("helm charts with crds/", () => {
  let h: Harness;
  let tmp: string;

  beforeAll(async () => {
    requireKubectl();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-helm-crds-"));
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const helm = (binary: string, args: string[]) => runHelm(h, tmp, binary, args);

  it.each(CHARTS)("helm $version installs the CRD and its object, and uninstalls the object", async (t) => {
    const chart = path.join(tmp, t.plural);
    writeChart(chart, t.plural, t.kind);
    await helm(t.binary, ["install", "demo", chart, "-n", "default"]);
    const obj = JSON.parse((await h.kubectl(["get", `${t.plural}.helm.example.com`, "demo", "-o", "json"])).stdout);
    expect(obj.spec).toEqual({ colour: "blue" });
    const crd = JSON.parse((await h.kubectl(["get", "crd", `${t.plural}.helm.example.com`, "-o", "json"])).stdout);
    expect(crd.status.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "Established", status: "True" })]),
    );
    await helm(t.binary, ["uninstall", "demo", "-n", "default"]);
    await until(`the ${t.kind} gone`, async () => {
      const left = await h.kubectl(["get", `${t.plural}.helm.example.com`, "-o", "name"]);
      return left.stdout.trim() === "" ? true : undefined;
    });
    await h.kubectl(["get", "crd", `${t.plural}.helm.example.com`]);
  });
});
