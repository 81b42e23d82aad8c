import { describe, expect, it } from "vitest";
import type { Container, Pod } from "../../kube/pod-types.ts";
import { ContainerConfigError, expandCommand, type PodReferences, resolveEnv } from "./env.ts";
import { expand } from "./expand.ts";

const pod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "apps", uid: "u-1", labels: { app: "web" }, annotations: { team: "blue" } },
  spec: { nodeName: "n1", serviceAccountName: "default", containers: [] },
};

const refs: PodReferences = {
  pod,
  configMaps: {
    settings: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings" },
      data: { MODE: "fast", "bad key": "x" },
    },
  },
  secrets: {
    creds: { apiVersion: "v1", kind: "Secret", metadata: { name: "creds" }, data: { PASSWORD: btoa("hunter2") } },
  },
  podIP: "10.88.0.5",
  hostIP: "192.168.1.2",
  nodeAllocatable: { cpu: "4", memory: "8Gi" },
};

const container = (c: Partial<Container>): Container => ({ name: "main", image: "busybox", ...c });

describe("resolveEnv", () => {
  it("adds the Service variables after the container's own, which win and may refer to them", () => {
    const withServices: PodReferences = {
      ...refs,
      serviceEnv: [
        ["WEB_SERVICE_HOST", "10.88.0.1"],
        ["WEB_SERVICE_PORT", "40123"],
      ],
    };
    const env = resolveEnv(
      withServices,
      container({
        env: [
          { name: "URL", value: "http://$(WEB_SERVICE_HOST):$(WEB_SERVICE_PORT)/" },
          { name: "WEB_SERVICE_PORT", value: "80" },
        ],
      }),
    );
    expect(env).toEqual([
      ["URL", "http://10.88.0.1:40123/"],
      ["WEB_SERVICE_PORT", "80"],
      ["WEB_SERVICE_HOST", "10.88.0.1"],
    ]);
  });

  it("applies envFrom first, then env overriding it, with prefixes and skipped invalid names", () => {
    const env = resolveEnv(
      refs,
      container({
        envFrom: [{ configMapRef: { name: "settings" } }, { prefix: "S_", secretRef: { name: "creds" } }],
        env: [{ name: "MODE", value: "slow" }],
      }),
    );
    expect(env).toEqual([
      ["MODE", "slow"],
      ["S_PASSWORD", "hunter2"],
    ]);
  });

  it("resolves valueFrom sources", () => {
    const env = resolveEnv(
      refs,
      container({
        resources: { limits: { memory: "64Mi" } },
        env: [
          { name: "A", valueFrom: { configMapKeyRef: { name: "settings", key: "MODE" } } },
          { name: "B", valueFrom: { secretKeyRef: { name: "creds", key: "PASSWORD" } } },
          { name: "C", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "D", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: "E", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
          { name: "F", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          { name: "G", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
          { name: "H", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
          { name: "I", valueFrom: { configMapKeyRef: { name: "absent", key: "k", optional: true } } },
          { name: "J", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['team']" } } },
        ],
      }),
    );
    expect(Object.fromEntries(env)).toEqual({
      A: "fast",
      B: "hunter2",
      C: "web",
      D: "web",
      E: "10.88.0.5",
      F: "n1",
      G: "64",
      H: "4",
      J: "blue",
    });
  });

  it("expands $(VAR) against earlier variables only", () => {
    const env = resolveEnv(
      refs,
      container({
        env: [
          { name: "HOST", value: "db" },
          { name: "URL", value: "tcp://$(HOST):$(PORT)/$$(HOST)" },
          { name: "PORT", value: "5432" },
        ],
      }),
    );
    expect(Object.fromEntries(env).URL).toBe("tcp://db:$(PORT)/$(HOST)");
  });

  it.each([
    [{ configMapKeyRef: { name: "absent", key: "k" } }, 'configmap "absent" not found'],
    [{ configMapKeyRef: { name: "settings", key: "nope" } }, "couldn't find key nope in ConfigMap apps/settings"],
    [{ secretKeyRef: { name: "absent", key: "k" } }, 'secret "absent" not found'],
    [{ secretKeyRef: { name: "creds", key: "nope" } }, "couldn't find key nope in Secret apps/creds"],
    [{ fieldRef: { fieldPath: "spec.bogus" } }, "unsupported fieldPath: spec.bogus"],
  ])("fails for %j", (valueFrom, message) => {
    const run = () => resolveEnv(refs, container({ env: [{ name: "X", valueFrom }] }));
    expect(run).toThrow(ContainerConfigError);
    expect(run).toThrow(message);
  });

  it("fails for a missing envFrom source unless optional", () => {
    expect(() => resolveEnv(refs, container({ envFrom: [{ secretRef: { name: "gone" } }] }))).toThrow(
      'secret "gone" not found',
    );
    expect(resolveEnv(refs, container({ envFrom: [{ secretRef: { name: "gone", optional: true } }] }))).toEqual([]);
  });
});

describe("expandCommand", () => {
  it("expands command and args", () => {
    const c = container({ command: ["sh", "-c"], args: ["echo $(MSG) $(NOPE)"] });
    expect(expandCommand(c, [["MSG", "hi"]])).toEqual({ command: ["sh", "-c"], args: ["echo hi $(NOPE)"] });
  });
});

describe("expand", () => {
  const vars: Record<string, string> = { A: "1" };
  it.each([
    ["$(A)", "1"],
    ["$$(A)", "$(A)"],
    ["$A", "$A"],
    ["x$", "x$"],
    ["$(A", "$(A"],
    ["$()", "$()"],
    ["$(B)", "$(B)"],
    ["a$(A)b$(A)", "a1b1"],
  ])("%s → %s", (input, output) => expect(expand(input, (n) => vars[n])).toBe(output));
});
