import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { defaultPullPolicy } from "./pod-spec.ts";
import { podQOSClass, quantityNanos } from "./pod-resources.ts";
import { POD_UPDATE_FORBIDDEN } from "./pod-update.ts";
import { podGracePeriod, pods } from "./pods.ts";

function pod(spec: LooseObject, metadata: LooseObject = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", ...metadata }, spec };
}

/** A pod as the API stores it: prepared and defaulted. */
function created(spec: LooseObject, metadata: LooseObject = {}): KubeObject {
  const p = pod(structuredClone(spec), metadata);
  pods.prepareForCreate?.(p);
  pods.defaults?.(p);
  return p;
}

const texts = (p: KubeObject) => (pods.validate?.(p) ?? []).map(fieldErrorText);

const nginx = { containers: [{ name: "web", image: "nginx" }] };

describe("pod defaults", () => {
  it("fills upstream's defaults for a minimal pod", () => {
    const p = created(nginx);
    expect(p.spec).toEqual({
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
      serviceAccountName: "default",
      serviceAccount: "default",
      securityContext: {},
      schedulerName: "default-scheduler",
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    });
    expect(p.status).toEqual({ phase: "Pending", qosClass: "BestEffort" });
  });

  it("keeps what the client set", () => {
    const p = created({
      containers: [{ name: "web", image: "nginx:1.25", imagePullPolicy: "Never", ports: [{ containerPort: 80 }] }],
      restartPolicy: "Never",
      serviceAccountName: "builder",
      tolerations: [{ operator: "Exists" }],
      terminationGracePeriodSeconds: 5,
    });
    expect(p.spec.containers[0].imagePullPolicy).toBe("Never");
    expect(p.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: "TCP" }]);
    expect(p.spec.restartPolicy).toBe("Never");
    expect(p.spec.serviceAccount).toBe("builder");
    expect(p.spec.tolerations).toEqual([{ operator: "Exists" }]);
    expect(p.spec.terminationGracePeriodSeconds).toBe(5);
  });

  it("copies limits into missing requests, so limits alone make a pod Guaranteed", () => {
    const p = created({
      containers: [{ name: "a", image: "x", resources: { limits: { cpu: "500m", memory: "64Mi" } } }],
    });
    expect(p.spec.containers[0].resources.requests).toEqual({ cpu: "500m", memory: "64Mi" });
    expect(p.status.qosClass).toBe("Guaranteed");
  });

  it("defaults probes, volumes, env field refs and host-network ports", () => {
    const p = created({
      hostNetwork: true,
      volumes: [{ name: "scratch" }, { name: "cfg", configMap: { name: "c" } }],
      containers: [
        {
          name: "a",
          image: "x",
          ports: [{ containerPort: 8080 }],
          env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
          livenessProbe: { httpGet: { port: 8080 } },
        },
      ],
    });
    expect(p.spec.volumes).toEqual([
      { name: "scratch", emptyDir: {} },
      { name: "cfg", configMap: { name: "c", defaultMode: 420 } },
    ]);
    const c = p.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 8080, hostPort: 8080, protocol: "TCP" }]);
    expect(c.env[0].valueFrom.fieldRef).toEqual({ apiVersion: "v1", fieldPath: "spec.nodeName" });
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 8080, path: "/", scheme: "HTTP" },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it("marks gated pods as not scheduled", () => {
    const p = created({ ...nginx, schedulingGates: [{ name: "wait" }] });
    expect(p.status.conditions).toEqual([
      {
        type: "PodScheduled",
        status: "False",
        reason: "SchedulingGated",
        message: "Scheduling is blocked due to non-empty scheduling gates",
      },
    ]);
  });
});

describe("defaultPullPolicy", () => {
  it.each([
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["nginx:1.25", "IfNotPresent"],
    ["localhost:5000/app", "Always"],
    ["localhost:5000/app:v1", "IfNotPresent"],
    ["nginx@sha256:abc", "IfNotPresent"],
    ["nginx:latest@sha256:abc", "Always"],
    ["", "IfNotPresent"],
  ])("%s → %s", (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});

describe("QoS and quantities", () => {
  it.each<[string, LooseObject, string]>([
    ["no resources", { containers: [{ name: "a" }] }, "BestEffort"],
    [
      "equal requests and limits",
      {
        containers: [
          { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1000m", memory: "1024Mi" } } },
        ],
      },
      "Guaranteed",
    ],
    ["requests only", { containers: [{ resources: { requests: { cpu: "100m" } } }] }, "Burstable"],
    [
      "a limit lower than it is requested elsewhere",
      {
        containers: [
          { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } },
          { resources: { requests: { cpu: "1" }, limits: { cpu: "1" } } },
        ],
      },
      "Burstable",
    ],
    ["only unrelated resources", { containers: [{ resources: { limits: { "nvidia.com/gpu": "1" } } }] }, "BestEffort"],
  ])("%s → %s", (_, spec, qos) => {
    expect(podQOSClass(spec)).toBe(qos);
  });

  it("parses quantities exactly", () => {
    expect(quantityNanos("1")).toBe(1_000_000_000n);
    expect(quantityNanos("250m")).toBe(250_000_000n);
    expect(quantityNanos("1Ki")).toBe(1024n * 1_000_000_000n);
    expect(quantityNanos("1.5G")).toBe(1_500_000_000n * 1_000_000_000n);
    expect(quantityNanos("1e3")).toBe(1000n * 1_000_000_000n);
    expect(quantityNanos(0.5)).toBe(500_000_000n);
    expect(quantityNanos("1x")).toBeUndefined();
    expect(quantityNanos("abc")).toBeUndefined();
  });
});

describe("pod validation", () => {
  const valid = (spec: LooseObject) => created(spec);
  it("accepts a defaulted pod", () => {
    expect(texts(valid(nginx))).toEqual([]);
  });

  it.each<[string, LooseObject, string[]]>([
    ["no containers", { containers: [] }, ["spec.containers: Required value"]],
    ["no image", { containers: [{ name: "web" }] }, ["spec.containers[0].image: Required value"]],
    [
      "duplicate container names",
      {
        containers: [
          { name: "x", image: "a" },
          { name: "x", image: "b" },
        ],
      },
      ['spec.containers[1].name: Duplicate value: "x"'],
    ],
    [
      "an init container named like a container",
      { initContainers: [{ name: "x", image: "a" }], containers: [{ name: "x", image: "b" }] },
      ['spec.initContainers[0].name: Duplicate value: "x"'],
    ],
    [
      "a bad container name",
      { containers: [{ name: "Web", image: "a" }] },
      [
        `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      "a bad restart policy",
      { ...nginx, restartPolicy: "Sometimes" },
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      "a bad DNS policy",
      { ...nginx, dnsPolicy: "Google" },
      [
        'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ],
    ],
    [
      "a bad pull policy",
      { containers: [{ name: "a", image: "x", imagePullPolicy: "Sometimes" }] },
      [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      ],
    ],
    [
      "ports out of range",
      {
        containers: [{ name: "a", image: "x", ports: [{ containerPort: 70000 }, { containerPort: 80, hostPort: -1 }] }],
      },
      [
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.containers[0].ports[1].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive",
      ],
    ],
    [
      "duplicate port names",
      {
        containers: [
          {
            name: "a",
            image: "x",
            ports: [
              { name: "http", containerPort: 80 },
              { name: "http", containerPort: 81 },
            ],
          },
        ],
      },
      ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ],
    [
      "duplicate volume names",
      { volumes: [{ name: "v" }, { name: "v" }], containers: [{ name: "a", image: "x" }] },
      ['spec.volumes[1].name: Duplicate value: "v"'],
    ],
    [
      "a mount of a missing volume",
      { containers: [{ name: "a", image: "x", volumeMounts: [{ name: "data", mountPath: "/data" }] }] },
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    [
      "a projected token of under 10 minutes, and one without a path",
      {
        volumes: [
          {
            name: "v",
            projected: {
              sources: [
                { serviceAccountToken: { path: "token", expirationSeconds: 599 } },
                { serviceAccountToken: { path: "", audience: "vault" } },
              ],
            },
          },
        ],
        containers: [{ name: "a", image: "x" }],
      },
      [
        "spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes",
        "spec.volumes[0].projected.path: Required value",
      ],
    ],
    [
      "two volume types",
      { volumes: [{ name: "v", emptyDir: {}, hostPath: { path: "/tmp" } }], containers: [{ name: "a", image: "x" }] },
      ["spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type"],
    ],
    [
      "a bad env var name",
      { containers: [{ name: "a", image: "x", env: [{ name: "A=B" }, { value: "v" }] }] },
      [
        `spec.containers[0].env[0].name: Invalid value: "A=B": must consist of printable ASCII characters except '='`,
        "spec.containers[0].env[1].name: Required value",
      ],
    ],
    [
      "a request above its limit",
      { containers: [{ name: "a", image: "x", resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } }] },
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ],
    [
      "an unknown resource",
      { containers: [{ name: "a", image: "x", resources: { limits: { gpu: "1" } } }] },
      // Requests are defaulted from limits first, so upstream reports both.
      [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
        'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    ],
    [
      "an image with spaces",
      { containers: [{ name: "a", image: " nginx" }] },
      ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
    ],
    [
      "an init container with a probe",
      {
        initContainers: [{ name: "i", image: "x", readinessProbe: { exec: { command: ["true"] } } }],
        containers: [{ name: "a", image: "x" }],
      },
      [
        "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
      ],
    ],
    [
      "a bad toleration",
      { ...nginx, tolerations: [{ key: "k", operator: "Maybe" }] },
      ['spec.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"'],
    ],
    [
      "an active deadline of zero",
      { ...nginx, activeDeadlineSeconds: 0 },
      ["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
    ],
  ])("%s", (_, spec, expected) => {
    expect(texts(valid(spec))).toEqual(expected);
  });
});

describe("pod updates", () => {
  const old = created({
    containers: [{ name: "web", image: "nginx:1" }],
    activeDeadlineSeconds: 100,
    tolerations: [{ key: "dedicated", operator: "Equal", value: "web", effect: "NoSchedule" }],
  });
  const update = (change: (spec: LooseObject) => void) => {
    const next = structuredClone(old);
    change(next.spec);
    pods.defaults?.(next);
    return (pods.validateUpdate?.(next, old) ?? []).map(fieldErrorText);
  };

  it.each<[string, (s: LooseObject) => void, string[]]>([
    ["nothing changed", () => {}, []],
    [
      "a new image",
      (s) => {
        s.containers[0].image = "nginx:2";
      },
      [],
    ],
    [
      "a shorter deadline",
      (s) => {
        s.activeDeadlineSeconds = 50;
      },
      [],
    ],
    [
      "a longer deadline",
      (s) => {
        s.activeDeadlineSeconds = 200;
      },
      ["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"],
    ],
    [
      "a removed deadline",
      (s) => {
        delete s.activeDeadlineSeconds;
      },
      ["spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"],
    ],
    [
      "an added toleration",
      (s) => {
        s.tolerations.push({ key: "x", operator: "Exists" });
      },
      [],
    ],
    [
      "a changed toleration time",
      (s) => {
        s.tolerations[0].tolerationSeconds = 10;
      },
      [],
    ],
    [
      "a removed toleration",
      (s) => {
        s.tolerations.shift();
      },
      ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"],
    ],
    [
      "an added container",
      (s) => {
        s.containers.push({ name: "b", image: "x" });
      },
      ["spec.containers: Forbidden: pod updates may not add or remove containers"],
    ],
    [
      "a changed port",
      (s) => {
        s.containers[0].ports = [{ containerPort: 81 }];
      },
      [`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`],
    ],
    [
      "a node name set directly",
      (s) => {
        s.nodeName = "node-1";
      },
      [`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`],
    ],
  ])("%s", (_, change, expected) => {
    expect(update(change)).toEqual(expected);
  });

  it("allows a negative grace period to become 1", () => {
    const before = created({ ...nginx, terminationGracePeriodSeconds: -1 });
    const next = structuredClone(before);
    next.spec.terminationGracePeriodSeconds = 1;
    expect(pods.validateUpdate?.(next, before)).toEqual([]);
    next.spec.terminationGracePeriodSeconds = 2;
    expect(pods.validateUpdate?.(next, before)).toHaveLength(1);
  });
});

describe("pod table and fields", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  it("has upstream's columns", () => {
    expect(pods.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ["Ready", "string", 0],
      ["Status", "string", 0],
      ["Restarts", "string", 0],
      ["Age", "string", 0],
      ["IP", "string", 1],
      ["Node", "string", 1],
      ["Nominated Node", "string", 1],
      ["Readiness Gates", "string", 1],
    ]);
  });

  it("prints a new pod", () => {
    const p = created(nginx, { creationTimestamp: "2024-05-01T11:59:30Z" });
    expect(pods.columns.map((c) => c.cell(p, { now }))).toEqual([
      "0/1",
      "Pending",
      "0",
      "30s",
      "<none>",
      "<none>",
      "<none>",
      "<none>",
    ]);
  });

  it("selects by field", () => {
    const p = created({ ...nginx, nodeName: "n1" });
    const f = pods.fields ?? {};
    expect(f["spec.nodeName"](p)).toBe("n1");
    expect(f["spec.hostNetwork"](p)).toBe("false");
    expect(f["status.phase"](p)).toBe("Pending");
    expect(f["status.podIP"](p)).toBe("");
  });
});

describe("grace period", () => {
  const bound = (extra: LooseObject = {}, status: LooseObject = { phase: "Running" }) => ({
    ...pod({ ...nginx, nodeName: "n1", terminationGracePeriodSeconds: 30, ...extra }),
    status,
  });
  it.each<[string, KubeObject, number | undefined, number]>([
    ["a bound pod waits its own period", bound(), undefined, 30],
    ["a bound pod waits the requested period", bound(), 5, 5],
    ["an unbound pod goes at once", pod(nginx), 30, 0],
    ["a finished pod goes at once", bound({}, { phase: "Succeeded" }), undefined, 0],
    ["a negative period means 1", bound({ terminationGracePeriodSeconds: -5 }), undefined, 1],
  ])("%s", (_, p, requested, expected) => {
    expect(podGracePeriod(p, requested)).toBe(expected);
  });
});
