// CustomResourceDefinitions with the real kubectl: a CRD with two versions, printer columns, status and
// scale subresources, defaults and an enum is Established and served (get, -o wide, explain, watch),
// refuses invalid objects with upstream's 422, prunes unknown fields or refuses them under
// --validate=strict, serves v1 and v2, answers server-side apply conflicts, and deleting the CRD removes
// its objects once their finalizers are gone.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { until } from "./poll.ts";

const CRD = path.join(import.meta.dirname, "fixtures", "crd", "widgets-crd.yaml");

const widget = (name: string, spec: string, extra = "") =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\n${extra}spec:\n${spec}`;

describe("custom resources with kubectl", () => {
  let h: Harness;

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
    await h.kubectl(["apply", "-f", CRD]);
    await h.kubectl(["wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=60s"]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("lists the CRD Established and the kind in api-resources", async () => {
    const crds = await h.kubectl(["get", "crd"]);
    expect(crds.stdout).toMatch(/^NAME\s+CREATED AT\nwidgets\.example\.com\s+\d{4}-/);
    const resources = await h.kubectl(["api-resources", "--api-group=example.com"]);
    expect(resources.stdout).toMatch(/widgets\s+wd\s+example\.com\/v1\s+true\s+Widget/);
  });

  it("creates with defaults and shows the printer columns, wide ones with -o wide", async () => {
    await h.kubectl(["apply", "-f", "-"], { stdin: widget("alpha", "  image: nginx\n") });
    const get = await h.kubectl(["get", "widgets"]);
    expect(get.stdout).toMatch(/^NAME\s+SIZE\s+REPLICAS\s+AGE\nalpha\s+small\s+1\s+\d+s/);
    const wide = await h.kubectl(["get", "wd", "-o", "wide"]);
    expect(wide.stdout).toMatch(/^NAME\s+SIZE\s+REPLICAS\s+IMAGE\s+AGE\nalpha\s+small\s+1\s+nginx\s+/);
  });

  it("explains the schema", async () => {
    const out = await h.kubectl(["explain", "widget.spec"]);
    expect(out.stdout).toContain("KIND:       Widget");
    expect(out.stdout).toMatch(/size\s+<string>/);
    expect(out.stdout).toContain("How big the widget is.");
    expect(out.stdout).toMatch(/image\s+<string> -required-/);
  });

  it("refuses a missing required field and a value outside the enum with upstream's 422; nothing is stored", async () => {
    const missing = await h.kubectl(["create", "-f", "-"], {
      stdin: widget("bad1", "  size: large\n"),
      allowFail: true,
    });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('The Widget "bad1" is invalid: spec.image: Required value');
    const huge = await h.kubectl(["create", "-f", "-"], {
      stdin: widget("bad2", "  image: x\n  size: huge\n"),
      allowFail: true,
    });
    expect(huge.stderr).toContain('spec.size: Unsupported value: "huge": supported values: "small", "large"');
    const names = await h.kubectl(["get", "widgets", "-o", "name"]);
    expect(names.stdout).not.toMatch(/bad1|bad2/);
  });

  it("prunes unknown fields, and refuses them under --validate=strict", async () => {
    const loose = await h.kubectl(["create", "--validate=warn", "-f", "-"], {
      stdin: widget("loose", "  image: x\n  colour: red\n"),
    });
    expect(loose.stderr).toContain('Warning: unknown field "spec.colour"');
    const stored = JSON.parse((await h.kubectl(["get", "widget", "loose", "-o", "json"])).stdout);
    expect(stored.spec).toEqual({ image: "x", size: "small", replicas: 1 });
    const strict = await h.kubectl(["create", "--validate=strict", "-f", "-"], {
      stdin: widget("strict", "  image: x\n  colour: red\n"),
      allowFail: true,
    });
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('unknown field "spec.colour"');
  });

  it("watches ADDED, MODIFIED and DELETED; patches status; scales", async () => {
    const w = h.watchKubectl(["get", "widgets", "-w", "--output-watch-events"]);
    try {
      await h.kubectl(["create", "-f", "-"], { stdin: widget("watched", "  image: x\n") });
      await w.waitFor(/ADDED\s+watched/, 30_000);
      await h.kubectl([
        "patch",
        "widget",
        "watched",
        "--subresource=status",
        "--type=merge",
        "-p",
        '{"status":{"replicas":2}}',
      ]);
      await h.kubectl(["scale", "widget", "watched", "--replicas=4"]);
      await w.waitFor(/MODIFIED\s+watched\s+small\s+4/, 30_000);
      const obj = JSON.parse((await h.kubectl(["get", "widget", "watched", "-o", "json"])).stdout);
      expect(obj.status.replicas).toBe(2);
      expect(obj.spec.replicas).toBe(4);
      await h.kubectl(["delete", "widget", "watched"]);
      await w.waitFor(/DELETED\s+watched/, 30_000);
    } finally {
      await w.stop();
    }
  });

  it("reads the same object as v1 and v2", async () => {
    const v1 = JSON.parse((await h.kubectl(["get", "widgets.v1.example.com", "alpha", "-o", "json"])).stdout);
    const v2 = JSON.parse((await h.kubectl(["get", "widgets.v2.example.com", "alpha", "-o", "json"])).stdout);
    expect(v1.apiVersion).toBe("example.com/v1");
    expect(v2.apiVersion).toBe("example.com/v2");
    expect(v2.spec).toEqual(v1.spec);
    expect(v2.metadata.uid).toBe(v1.metadata.uid);
  });

  it("is listed by `kubectl get all` (category all) and scaled by an HPA through its scale subresource", async () => {
    const all = await h.kubectl(["get", "all"]);
    expect(all.stdout).toMatch(/^widget\.example\.com\/alpha\s/m);
    await h.kubectl(["create", "-f", "-"], { stdin: widget("scaled", "  image: x\n  replicas: 1\n") });
    // kubectl autoscale only knows the built-in workloads, so the HPA is written as users write it for a CR.
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: scaled
spec:
  scaleTargetRef: {apiVersion: example.com/v1, kind: Widget, name: scaled}
  minReplicas: 3
  maxReplicas: 5
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
`;
    await h.kubectl(["apply", "-f", "-"], { stdin: hpa });
    await until("the HPA to raise the widget to minReplicas", async () => {
      const obj = JSON.parse((await h.kubectl(["get", "widget", "scaled", "-o", "json"])).stdout);
      return obj.spec.replicas === 3 ? true : undefined;
    });
    const events = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.kind=HorizontalPodAutoscaler",
    ]);
    expect(events.stdout).toContain("New size: 3; reason: Current number of replicas below Spec.MinReplicas");
    await h.kubectl(["delete", "hpa", "scaled"]);
  });

  it("server-side apply by two managers conflicts as upstream", async () => {
    await h.kubectl(["apply", "--server-side", "--field-manager=one", "-f", "-"], {
      stdin: widget("ssa", "  image: a\n"),
    });
    const other = await h.kubectl(["apply", "--server-side", "--field-manager=two", "-f", "-"], {
      stdin: widget("ssa", "  image: b\n"),
      allowFail: true,
    });
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('conflict with "one"');
    expect(other.stderr).toContain(".spec.image");
  });

  it("delete crd waits for a finalizer (Terminating), then removes the CRD and its objects", async () => {
    await h.kubectl(["create", "-f", "-"], {
      stdin: widget("held", "  image: x\n", "  finalizers: [example.com/hold]\n"),
    });
    await h.kubectl(["delete", "crd", "widgets.example.com", "--wait=false"]);
    await until("the CRD Terminating with only the held widget left", async () => {
      const crd = JSON.parse((await h.kubectl(["get", "crd", "widgets.example.com", "-o", "json"])).stdout);
      const terminating = crd.status.conditions.find((c: { type: string }) => c.type === "Terminating");
      const left = (await h.kubectl(["get", "widgets", "-o", "name"])).stdout.trim();
      return terminating?.status === "True" && left === "widget.example.com/held" ? true : undefined;
    });
    await h.kubectl(["patch", "widget", "held", "--type=merge", "-p", '{"metadata":{"finalizers":null}}']);
    await until("the CRD gone", async () =>
      (await h.kubectl(["get", "crd", "widgets.example.com"], { allowFail: true })).code !== 0 ? true : undefined,
    );
    // kubectl's discovery cache may still name the resource; the server no longer serves it either way.
    const after = await h.kubectl(["get", "widgets"], { allowFail: true });
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/doesn't have a resource type "widgets"|could not find the requested resource/);
    expect((await h.api("/apis/example.com/v1")).status).toBe(404);
  });
});
