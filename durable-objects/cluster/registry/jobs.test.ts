import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { CONTROLLER_UID_LABEL, JOB_NAME_LABEL, jobs } from "./jobs.ts";

const UID = "0d4f7c3e-1111-2222-3333-444455556666";
const podTemplate = (restartPolicy = "Never") => ({
  spec: { containers: [{ name: "pi", image: "perl" }], ...(restartPolicy ? { restartPolicy } : {}) },
});

function make(spec: LooseObject, metadata: LooseObject = {}): KubeObject {
  const o: KubeObject = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "pi", namespace: "default", uid: UID, ...metadata },
    spec,
  };
  jobs.prepareForCreate?.(o);
  jobs.defaults?.(o);
  return o;
}

const texts = (o: KubeObject) => (jobs.validate?.(o) ?? []).map(fieldErrorText);

describe("job defaults and the generated selector", () => {
  it("fills upstream's defaults", () => {
    const j = make({ template: podTemplate() });
    expect(j.status).toEqual({});
    expect(j.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: "NonIndexed",
      suspend: false,
      podReplacementPolicy: "TerminatingOrFailed",
      selector: { matchLabels: { [CONTROLLER_UID_LABEL]: UID } },
    });
    const labels = {
      "controller-uid": UID,
      [CONTROLLER_UID_LABEL]: UID,
      "job-name": "pi",
      [JOB_NAME_LABEL]: "pi",
    };
    expect(j.spec.template.metadata.labels).toEqual(labels);
    expect(j.metadata.labels).toEqual(labels);
    expect(texts(j)).toEqual([]);
  });

  it("leaves completions unset when only parallelism is given", () => {
    const j = make({ parallelism: 3, template: podTemplate() });
    expect(j.spec.completions).toBeUndefined();
    expect(j.spec.parallelism).toBe(3);
  });

  it("keeps the job's own labels and a manual selector", () => {
    const j = make(
      {
        manualSelector: true,
        selector: { matchLabels: { app: "pi" } },
        template: { metadata: { labels: { app: "pi" } }, ...podTemplate() },
      },
      { labels: { team: "a" } },
    );
    expect(j.spec.selector).toEqual({ matchLabels: { app: "pi" } });
    expect(j.spec.template.metadata.labels).toEqual({ app: "pi" });
    expect(j.metadata.labels).toEqual({ team: "a" });
    expect(texts(j)).toEqual([]);
  });
});

describe("job validation", () => {
  it.each<[string, LooseObject, string[]]>([
    [
      "no restart policy (defaulted to Always)",
      { template: podTemplate("") },
      ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ],
    [
      "restart policy Always",
      { template: podTemplate("Always") },
      ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ],
    [
      "negative counts",
      { parallelism: -1, backoffLimit: -2, template: podTemplate() },
      [
        "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
        "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0",
      ],
    ],
    [
      "an unknown completion mode",
      { completionMode: "Sometimes", template: podTemplate() },
      ['spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"'],
    ],
    [
      "a selector that was not generated",
      { selector: { matchLabels: { app: "x" } }, template: podTemplate() },
      [
        'spec.selector: Invalid value: {"matchLabels":{"app":"x","batch.kubernetes.io/controller-uid":"0d4f7c3e-1111-2222-3333-444455556666"}}: `selector` not auto-generated',
        `spec.template.metadata.labels: Invalid value: {"job-name":"pi","batch.kubernetes.io/job-name":"pi","controller-uid":"${UID}","batch.kubernetes.io/controller-uid":"${UID}"}: \`selector\` does not match template \`labels\``,
      ],
    ],
    [
      "a manual selector that misses the template",
      { manualSelector: true, selector: { matchLabels: { app: "x" } }, template: podTemplate() },
      ["spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`"],
    ],
    [
      "a manual job without a selector",
      { manualSelector: true, template: podTemplate() },
      [
        "spec.selector: Required value",
        "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
      ],
    ],
  ])("%s", (_, spec, expected) => {
    expect(texts(make(spec))).toEqual(expected);
  });

  it("reports a conflicting generated label", () => {
    const j = make({ template: { metadata: { labels: { [JOB_NAME_LABEL]: "other" } }, ...podTemplate() } });
    expect(texts(j)[0]).toBe(
      `spec.template.metadata.labels[batch.kubernetes.io/job-name]: Invalid value: {"${JOB_NAME_LABEL}":"other","job-name":"pi","controller-uid":"${UID}","${CONTROLLER_UID_LABEL}":"${UID}"}: must be 'pi'`,
    );
  });

  it("checks indexed pod hostnames", () => {
    const j = make({ completionMode: "Indexed", completions: 10, template: podTemplate() }, { name: "a".repeat(62) });
    expect(texts(j)).toContain(
      `metadata.name: Invalid value: "${"a".repeat(62)}": will not able to create pod with invalid DNS label: ${"a".repeat(62)}-9`,
    );
  });
});

describe("job updates", () => {
  const old = make({ template: podTemplate() });
  const update = (change: (s: LooseObject) => void, base = old) => {
    const next = structuredClone(base);
    change(next.spec);
    return (jobs.validateUpdate?.(next, base) ?? []).map(fieldErrorText);
  };

  it("allows changing parallelism and suspend", () => {
    expect(
      update((s) => {
        s.parallelism = 4;
        s.suspend = true;
      }),
    ).toEqual([]);
  });

  it("keeps completions, selector and template immutable", () => {
    expect(update((s) => (s.completions = 3))).toEqual(["spec.completions: Invalid value: 3: field is immutable"]);
    const errs = update((s) => {
      s.template.spec.containers[0].image = "perl:2";
    });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^spec\.template: Invalid value: .*: field is immutable$/);
  });

  it("lets a suspended, never-started job change its node selector", () => {
    const suspended = make({ suspend: true, template: podTemplate() });
    expect(update((s) => (s.template.spec.nodeSelector = { zone: "a" }), suspended)).toEqual([]);
    expect(update((s) => (s.template.spec.containers[0].image = "x"), suspended)).toHaveLength(1);
  });
});

describe("job table", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  const row = (spec: LooseObject, status: LooseObject, metadata: LooseObject = {}) => {
    const j = make(spec, metadata);
    j.status = status;
    return jobs.columns.slice(0, 3).map((c) => c.cell(j, { now }));
  };

  it.each<[string, LooseObject, LooseObject, unknown[]]>([
    ["a new job", {}, {}, ["Running", "0/1", ""]],
    [
      "a running job",
      { completions: 5 },
      { succeeded: 2, startTime: "2024-05-01T11:58:00Z" },
      ["Running", "2/5", "2m"],
    ],
    [
      "a finished job",
      {},
      {
        succeeded: 1,
        startTime: "2024-05-01T11:00:00Z",
        completionTime: "2024-05-01T11:00:42Z",
        conditions: [{ type: "Complete", status: "True" }],
      },
      ["Complete", "1/1", "42s"],
    ],
    ["a work queue", { parallelism: 3 }, {}, ["Running", "0/1 of 3", ""]],
    ["a failed job", {}, { conditions: [{ type: "Failed", status: "True" }] }, ["Failed", "0/1", ""]],
    ["a suspended job", {}, { conditions: [{ type: "Suspended", status: "True" }] }, ["Suspended", "0/1", ""]],
  ])("%s", (_, spec, status, expected) => {
    expect(row({ template: podTemplate(), ...spec }, status)).toEqual(expected);
  });

  it("shows Terminating while deleted", () => {
    expect(row({ template: podTemplate() }, {}, { deletionTimestamp: "2024-05-01T11:59:00Z" })[0]).toBe("Terminating");
  });

  it("has upstream's columns", () => {
    expect(jobs.columns.map((c) => [c.name, c.priority])).toEqual([
      ["Status", 0],
      ["Completions", 0],
      ["Duration", 0],
      ["Age", 0],
      ["Containers", 1],
      ["Images", 1],
      ["Selector", 1],
    ]);
    expect(jobs.shortNames).toBeUndefined();
  });
});
