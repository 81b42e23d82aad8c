import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { daemonSets } from "./daemonsets.ts";
import { STATEFULSET_UPDATE_FORBIDDEN, statefulSets } from "./statefulsets.ts";
import type { ResourceKind } from "./types.ts";

const template = (extra: LooseObject = {}) => ({
  metadata: { labels: { app: "agent" } },
  spec: { containers: [{ name: "agent", image: "agent:1" }], ...extra },
});
const sel = { matchLabels: { app: "agent" } };

function make(kind: ResourceKind, spec: LooseObject): KubeObject {
  const o: KubeObject = { apiVersion: "apps/v1", kind: kind.kind, metadata: { name: "x", namespace: "default" }, spec };
  kind.prepareForCreate?.(o);
  kind.defaults?.(o);
  return o;
}

const texts = (kind: ResourceKind, spec: LooseObject) => (kind.validate?.(make(kind, spec)) ?? []).map(fieldErrorText);

describe("daemon sets", () => {
  it("defaults the update strategy", () => {
    const ds = make(daemonSets, { selector: sel, template: template() });
    expect(ds.spec.updateStrategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
    expect(ds.spec.template.spec.restartPolicy).toBe("Always");
  });

  it.each<[string, LooseObject, string[]]>([
    ["a valid daemon set", { selector: sel, template: template() }, []],
    [
      "no selector: it matches nothing",
      { template: template() },
      ['spec.template.metadata.labels: Invalid value: {"app":"agent"}: `selector` does not match template `labels`'],
    ],
    [
      "an empty selector",
      { selector: {}, template: template() },
      ["spec.selector: Invalid value: {}: empty selector is invalid for daemonset"],
    ],
    [
      "both surge and unavailable",
      { selector: sel, template: template(), updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } },
      ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"],
    ],
    [
      "neither surge nor unavailable",
      { selector: sel, template: template(), updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } },
      ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"],
    ],
    [
      "an unknown strategy",
      { selector: sel, template: template(), updateStrategy: { type: "Sometimes" } },
      ['spec.updateStrategy: Unsupported value: "Sometimes": supported values: "RollingUpdate", "OnDelete"'],
    ],
    [
      "a deadline on the template",
      { selector: sel, template: template({ activeDeadlineSeconds: 10 }) },
      [
        "spec.template.spec.activeDeadlineSeconds: Invalid value: 10: activeDeadlineSeconds in DaemonSet is not Supported",
      ],
    ],
  ])("%s", (_, spec, expected) => {
    expect(texts(daemonSets, spec)).toEqual(expected);
  });

  it("prints upstream's columns", () => {
    expect(daemonSets.columns.map((c) => c.name)).toEqual([
      "Desired",
      "Current",
      "Ready",
      "Up-to-date",
      "Available",
      "Node Selector",
      "Age",
      "Containers",
      "Images",
      "Selector",
    ]);
    const ds = make(daemonSets, {
      selector: sel,
      template: template({ nodeSelector: { "kubernetes.io/os": "linux" } }),
    });
    ds.status = {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 2,
      updatedNumberScheduled: 3,
      numberAvailable: 2,
    };
    const cells = daemonSets.columns.map((c) => c.cell(ds, { now: 0 }));
    expect(cells).toEqual([3, 3, 2, 3, 2, "kubernetes.io/os=linux", "<unknown>", "agent", "agent:1", "app=agent"]);
    ds.spec.template.spec.nodeSelector = undefined;
    expect(daemonSets.columns[5].cell(ds, { now: 0 })).toBe("<none>");
  });
});

describe("stateful sets", () => {
  it("fills upstream's defaults", () => {
    const sts = make(statefulSets, { selector: sel, template: template() });
    expect(sts.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      revisionHistoryLimit: 10,
    });
  });

  it.each<[string, LooseObject, string[]]>([
    ["a valid stateful set", { selector: sel, template: template() }, []],
    [
      "mounting a claim template",
      {
        selector: sel,
        template: template({
          containers: [{ name: "db", image: "pg", volumeMounts: [{ name: "data", mountPath: "/d" }] }],
        }),
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: {} }],
      },
      [],
    ],
    [
      "an empty selector",
      { selector: {}, template: template() },
      ["spec.selector: Invalid value: {}: empty selector is invalid for statefulset"],
    ],
    [
      "a bad pod management policy",
      { selector: sel, template: template(), podManagementPolicy: "Random" },
      ['spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"'],
    ],
    [
      "OnDelete with rolling parameters",
      { selector: sel, template: template(), updateStrategy: { type: "OnDelete", rollingUpdate: { partition: 1 } } },
      [
        "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'",
      ],
    ],
    [
      "a deadline on the template",
      { selector: sel, template: template({ activeDeadlineSeconds: 10 }) },
      ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"],
    ],
  ])("%s", (_, spec, expected) => {
    expect(texts(statefulSets, spec)).toEqual(expected);
  });

  it("allows only some spec fields to change", () => {
    const old = make(statefulSets, { selector: sel, template: template(), serviceName: "db" });
    const next = structuredClone(old);
    next.spec.replicas = 5;
    next.spec.template.spec.containers[0].image = "agent:2";
    expect(statefulSets.validateUpdate?.(next, old)).toEqual([]);
    next.spec.serviceName = "other";
    expect(statefulSets.validateUpdate?.(next, old).map(fieldErrorText)).toEqual([
      `spec: Forbidden: ${STATEFULSET_UPDATE_FORBIDDEN}`,
    ]);
  });

  it("prints READY as ready/desired", () => {
    const sts = make(statefulSets, { replicas: 3, selector: sel, template: template() });
    sts.status = { readyReplicas: 1 };
    expect(statefulSets.columns.map((c) => [c.name, c.cell(sts, { now: 0 })])).toEqual([
      ["Ready", "1/3"],
      ["Age", "<unknown>"],
      ["Containers", "agent"],
      ["Images", "agent:1"],
    ]);
  });
});
