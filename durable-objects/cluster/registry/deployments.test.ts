import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { deployments } from "./deployments.ts";
import { replicaSets } from "./replicasets.ts";
import type { ResourceKind } from "./types.ts";

const template = (labels: LooseObject = { app: "web" }) => ({
  metadata: { labels },
  spec: { containers: [{ name: "web", image: "nginx" }] },
});

function make(kind: ResourceKind, spec: LooseObject): KubeObject {
  const o: KubeObject = {
    apiVersion: "apps/v1",
    kind: kind.kind,
    metadata: { name: "web", namespace: "default" },
    spec,
  };
  kind.prepareForCreate?.(o);
  kind.defaults?.(o);
  return o;
}

const texts = (kind: ResourceKind, spec: LooseObject) => (kind.validate?.(make(kind, spec)) ?? []).map(fieldErrorText);

describe("deployment defaults", () => {
  it("fills upstream's defaults", () => {
    const d = make(deployments, { selector: { matchLabels: { app: "web" } }, template: template() });
    expect(d.status).toEqual({});
    expect(d.spec).toEqual({
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "web",
              image: "nginx",
              imagePullPolicy: "Always",
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
              resources: {},
            },
          ],
          restartPolicy: "Always",
          terminationGracePeriodSeconds: 30,
          dnsPolicy: "ClusterFirst",
          securityContext: {},
          schedulerName: "default-scheduler",
        },
      },
    });
  });

  it("leaves a Recreate strategy without rolling parameters", () => {
    const d = make(deployments, { strategy: { type: "Recreate" }, template: template() });
    expect(d.spec.strategy).toEqual({ type: "Recreate" });
  });
});

describe("deployment validation", () => {
  const sel = { matchLabels: { app: "web" } };
  it.each<[string, LooseObject, string[]]>([
    ["a valid deployment", { selector: sel, template: template() }, []],
    [
      "no selector",
      { template: template() },
      [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      ],
    ],
    [
      "a selector that misses the template",
      { selector: { matchLabels: { app: "api" } }, template: template() },
      ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
    ],
    [
      "an empty selector",
      { selector: {}, template: template() },
      ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
    ],
    [
      "negative replicas",
      { replicas: -1, selector: sel, template: template() },
      ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    ],
    [
      "a template that restarts Never",
      { selector: sel, template: { ...template(), spec: { ...template().spec, restartPolicy: "Never" } } },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      "a template without containers",
      { selector: sel, template: { metadata: { labels: { app: "web" } }, spec: {} } },
      ["spec.template.spec.containers: Required value"],
    ],
    [
      "an unknown strategy",
      { selector: sel, template: template(), strategy: { type: "BlueGreen" } },
      ['spec.strategy: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"'],
    ],
    [
      "Recreate with rolling parameters",
      { selector: sel, template: template(), strategy: { type: "Recreate", rollingUpdate: {} } },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    [
      "zero surge and zero unavailable",
      { selector: sel, template: template(), strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    ],
    [
      "a bad percentage",
      { selector: sel, template: template(), strategy: { rollingUpdate: { maxSurge: "abc", maxUnavailable: "120%" } } },
      [
        `spec.strategy.rollingUpdate.maxSurge: Invalid value: "abc": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
      ],
    ],
    [
      "a deadline not above minReadySeconds",
      { selector: sel, template: template(), minReadySeconds: 10, progressDeadlineSeconds: 10 },
      ["spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"],
    ],
    [
      "a bad selector expression",
      { selector: { matchExpressions: [{ key: "app", operator: "In" }] }, template: template() },
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
  ])("%s", (_, spec, expected) => {
    expect(texts(deployments, spec)).toEqual(expected);
  });

  it("keeps the selector immutable", () => {
    const old = make(deployments, { selector: sel, template: template() });
    const next = structuredClone(old);
    expect(deployments.validateUpdate?.(next, old)).toEqual([]);
    next.spec.selector = { matchLabels: { app: "web", tier: "x" } };
    expect(deployments.validateUpdate?.(next, old).map(fieldErrorText)).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable',
    ]);
  });
});

describe("deployment and replica set tables", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  const cells = (kind: ResourceKind, o: KubeObject) => kind.columns.map((c) => c.cell(o, { now }));

  it("deployment columns", () => {
    expect(deployments.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ["Ready", "string", 0],
      ["Up-to-date", "string", 0],
      ["Available", "string", 0],
      ["Age", "string", 0],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ]);
    const d = make(deployments, { replicas: 3, selector: { matchLabels: { app: "web" } }, template: template() });
    d.metadata.creationTimestamp = "2024-05-01T11:00:00Z";
    d.status = { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    expect(cells(deployments, d)).toEqual(["2/3", 3, 2, "60m", "web", "nginx", "app=web"]);
  });

  it("replica set columns", () => {
    expect(replicaSets.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ["Desired", "integer", 0],
      ["Current", "integer", 0],
      ["Ready", "integer", 0],
      ["Age", "string", 0],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ]);
    const rs = make(replicaSets, { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template() });
    rs.metadata.creationTimestamp = "2024-05-01T11:59:00Z";
    expect(cells(replicaSets, rs)).toEqual([2, 0, 0, "60s", "web", "nginx", "app=web"]);
    expect(replicaSets.fields?.["status.replicas"](rs)).toBe("0");
  });

  it("scale selectors", () => {
    const d = make(deployments, { selector: { matchLabels: { app: "web", tier: "fe" } }, template: template() });
    expect(deployments.subresources?.scale?.selector(d)).toBe("app=web,tier=fe");
  });

  it("replica set validation shares the deployment rules", () => {
    expect(texts(replicaSets, { selector: { matchLabels: { app: "web" } }, template: template() })).toEqual([]);
    expect(texts(replicaSets, { selector: {}, template: template() })).toEqual([
      "spec.selector: Invalid value: {}: empty selector is invalid for deployment",
    ]);
    expect(
      texts(replicaSets, {
        selector: { matchLabels: { app: "web" } },
        template: { ...template(), spec: { ...template().spec, activeDeadlineSeconds: 5 } },
      }),
    ).toEqual([
      "spec.template.spec.activeDeadlineSeconds: Invalid value: 5: activeDeadlineSeconds in ReplicaSet is not Supported",
    ]);
  });
});
