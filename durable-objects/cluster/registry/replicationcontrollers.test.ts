import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { replicationControllers as rcs } from "./replicationcontrollers.ts";

const template = (extra: LooseObject = {}) => ({
  metadata: { labels: { app: "nginx" } },
  spec: { containers: [{ name: "nginx", image: "nginx" }], ...extra },
});

function make(spec: LooseObject, labels?: Record<string, string>): KubeObject {
  const o: KubeObject = { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "x", labels }, spec };
  rcs.prepareForCreate?.(o);
  rcs.defaults?.(o);
  return o;
}

const texts = (spec: LooseObject) => (rcs.validate?.(make(spec)) ?? []).map(fieldErrorText);

describe("replication controllers", () => {
  it("defaults the selector, its own labels and replicas from the template (SetDefaults_ReplicationController)", () => {
    const rc = make({ template: template() });
    expect(rc.spec.selector).toEqual({ app: "nginx" });
    expect(rc.metadata.labels).toEqual({ app: "nginx" });
    expect(rc.spec.replicas).toBe(1);
    expect(rc.spec.template.spec.restartPolicy).toBe("Always");
    expect(rc.status).toEqual({});
  });

  it("keeps a selector, labels and replicas that were given", () => {
    const rc = make({ replicas: 0, selector: { app: "nginx" }, template: template() }, { tier: "web" });
    expect([rc.spec.selector, rc.metadata.labels, rc.spec.replicas]).toEqual([{ app: "nginx" }, { tier: "web" }, 0]);
  });

  it.each<[string, LooseObject, string[]]>([
    ["a valid controller", { replicas: 3, template: template() }, []],
    [
      "no template labels: no selector to default",
      { template: { spec: template().spec } },
      ["spec.selector: Required value"],
    ],
    ["no template", { selector: { app: "nginx" } }, ["spec.template: Required value"]],
    [
      "a selector the template's labels do not match",
      { selector: { app: "other" }, template: template() },
      ['spec.template.metadata.labels: Invalid value: {"app":"nginx"}: `selector` does not match template `labels`'],
    ],
    [
      "negative replicas and minReadySeconds",
      { replicas: -1, minReadySeconds: -2, template: template() },
      [
        "spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0",
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
      ],
    ],
    [
      "a template that does not restart Always",
      { template: template({ restartPolicy: "OnFailure" }) },
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    [
      "an active deadline",
      { template: template({ activeDeadlineSeconds: 5 }) },
      [
        "spec.template.spec.activeDeadlineSeconds: Invalid value: 5: activeDeadlineSeconds in ReplicationController is not Supported",
      ],
    ],
    [
      "a template without containers",
      { template: { metadata: { labels: { app: "nginx" } }, spec: {} } },
      ["spec.template.spec.containers: Required value"],
    ],
  ])("%s", (_name, spec, errors) => {
    expect(texts(spec)).toEqual(errors);
  });

  it("serves scale with an equality selector, status, the short name rc and the `all` category", () => {
    expect([rcs.group, rcs.plural, rcs.shortNames, rcs.categories]).toEqual([
      "",
      "replicationcontrollers",
      ["rc"],
      ["all"],
    ]);
    expect(rcs.subresources?.status).toBe(true);
    const rc = make({ selector: { app: "nginx", tier: "web" }, template: template() });
    expect(rcs.subresources?.scale?.selector(rc)).toBe("app=nginx,tier=web");
  });

  it("prints kubectl's columns (printReplicationController)", () => {
    const rc = make({ replicas: 3, template: template() });
    rc.status = { replicas: 2, readyReplicas: 1 };
    rc.metadata.creationTimestamp = new Date(0).toISOString();
    const cells = rcs.columns.map((c) => [c.name, c.priority, c.cell(rc, { now: 90_000 })]);
    expect(cells).toEqual([
      ["Desired", 0, 3],
      ["Current", 0, 2],
      ["Ready", 0, 1],
      ["Age", 0, "90s"],
      ["Containers", 1, "nginx"],
      ["Images", 1, "nginx"],
      ["Selector", 1, "app=nginx"],
    ]);
  });
});
