import { describe, expect, it } from "vitest";
import { decodeKubernetesProtobuf, decodeMessage, KUBERNETES_PROTOBUF_MAGIC, ProtobufError } from "./decode.ts";
import { bytes, concat, entry, envelope, int, message, varint } from "./testdata/encode.ts";
import { KUBECTL_BODIES } from "./testdata/kubectl-bodies.ts";

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

describe("bodies captured from kubectl create", () => {
  it.each(KUBECTL_BODIES)("$command", ({ body, expected }) => {
    const decoded = decodeKubernetesProtobuf(fromBase64(body));
    expect(decoded.apiVersion).toBe(expected.apiVersion);
    expect(decoded.kind).toBe(expected.kind);
    expect(decoded.object).toEqual(expected);
  });
});

// Encoded field numbers below are those of generated.proto (e.g. ObjectMeta 1 name, 8 creationTimestamp).
const meta = (name: string, ...extra: Uint8Array[]) => message(1, bytes(1, name), ...extra);

describe("decodeKubernetesProtobuf", () => {
  it("keeps a set pointer field's zero and drops unset non-pointer zeros (omitempty)", () => {
    // DeploymentSpec: 1 replicas (*int32) = 0, 5 minReadySeconds (int32) = 0, 7 paused (bool) = false.
    const spec = message(2, int(1, 0), int(5, 0), int(7, false), message(4));
    const out = decodeKubernetesProtobuf(envelope("apps/v1", "Deployment", concat(meta("d", bytes(2, "")), spec)));
    expect(out.object).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec: { replicas: 0, strategy: {} },
    });
  });

  it("reads a RawExtension as the JSON it carries (ControllerRevision.data)", () => {
    // ControllerRevision: 1 metadata, 2 data (RawExtension: 1 raw), 3 revision.
    const raw = concat(meta("r"), message(2, bytes(1, '{"spec":{"replicas":2}}')), int(3, 4));
    expect(decodeKubernetesProtobuf(envelope("apps/v1", "ControllerRevision", raw)).object).toEqual({
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: { name: "r" },
      data: { spec: { replicas: 2 } },
      revision: 4,
    });
    expect(() =>
      decodeKubernetesProtobuf(envelope("apps/v1", "ControllerRevision", message(2, bytes(1, "{")))),
    ).toThrow(/RawExtension: Raw is not valid JSON/);
  });

  it("keeps the zero of a field without omitempty, as Go's JSON writes it (PriorityClass value 0)", () => {
    // PriorityClass: 2 value (int32 `json:"value"`), 3 globalDefault (bool `json:"globalDefault,omitempty"`).
    const sent = decodeKubernetesProtobuf(
      envelope("scheduling.k8s.io/v1", "PriorityClass", concat(meta("z"), int(2, 0), int(3, false))),
    );
    expect(sent.object).toEqual({
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "z" },
      value: 0,
    });
    const leftOut = decodeKubernetesProtobuf(envelope("scheduling.k8s.io/v1", "PriorityClass", meta("z")));
    expect(leftOut.object).toMatchObject({ value: 0 });
  });

  it("reads Time, IntOrString, Quantity, inline structs and maps of messages", () => {
    const time = message(8, int(1, 1767225600)); // 2026-01-01T00:00:00Z
    const ctr = message(
      2,
      bytes(1, "app"),
      message(8, message(1, bytes(1, "cpu"), message(2, bytes(1, "250m"))), message(2, bytes(1, "memory"))),
      // livenessProbe: handler (inline) → httpGet {path, port "http"}, periodSeconds 0 left out.
      message(10, message(1, message(2, bytes(1, "/healthz"), message(2, int(1, 1), bytes(3, "http")))), int(4, 0)),
      // securityContext: privileged (*bool) false kept, runAsUser (*int64) -1 kept.
      message(15, int(2, false), int(4, -1)),
    );
    // Volume: name, volumeSource (inline) → configMap {localObjectReference (inline) {name}, defaultMode 420}.
    const vol = message(1, bytes(1, "cfg"), message(2, message(19, message(1, bytes(1, "settings")), int(3, 420))));
    const podSpec = message(2, vol, ctr, int(4, 30n));
    const out = decodeKubernetesProtobuf(envelope("v1", "Pod", concat(meta("p", time), podSpec)));
    expect(out.object).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", creationTimestamp: "2026-01-01T00:00:00Z" },
      spec: {
        volumes: [{ name: "cfg", configMap: { name: "settings", defaultMode: 420 } }],
        containers: [
          {
            name: "app",
            resources: { limits: { cpu: "250m" }, requests: { memory: "0" } },
            livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
            securityContext: { privileged: false, runAsUser: -1 },
          },
        ],
        terminationGracePeriodSeconds: 30,
      },
    });
  });

  it("writes bytes as base64, keeps empty map values and skips unknown fields", () => {
    const raw = concat(
      meta("s", int(99, 7), bytes(98, "future")),
      entry(2, "bin", new Uint8Array([0, 1, 255])),
      entry(2, "empty", new Uint8Array(0)),
      int(5, true),
      int(77, 1),
    );
    expect(decodeKubernetesProtobuf(envelope("v1", "Secret", raw)).object).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { bin: "AAH/", empty: "" },
      immutable: true,
    });
  });

  it("reads packed and unpacked repeated varints", () => {
    // PodFailurePolicyOnExitCodesRequirement: 3 values (repeated int32).
    const unpacked = concat(int(3, 1), int(3, 2));
    const packed = bytes(3, concat(varint(1), varint(2)));
    // operator (`json:"operator"`, no omitempty) is written by Go's JSON even when the wire leaves it out.
    for (const body of [unpacked, packed])
      expect(decodeMessage(body, "PodFailurePolicyOnExitCodesRequirement")).toEqual({ values: [1, 2], operator: "" });
  });

  it("leaves out the zero time and reads status (a status subresource update carries it)", () => {
    const raw = concat(meta("n", message(8)), message(3, bytes(1, "Active")));
    expect(decodeKubernetesProtobuf(envelope("v1", "Namespace", raw)).object).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "n" },
      status: { phase: "Active" },
    });
  });

  const bad: { name: string; body: Uint8Array; error: RegExp }[] = [
    { name: "no prefix", body: new TextEncoder().encode('{"kind":"Pod"}'), error: /does not start with/ },
    { name: "too short", body: new Uint8Array([0x6b, 0x38]), error: /does not start with/ },
    { name: "prefix only", body: KUBERNETES_PROTOBUF_MAGIC, error: /names no apiVersion and kind/ },
    {
      name: "unknown kind",
      body: envelope("v1", "ComponentStatus", new Uint8Array(0)),
      error: /no protobuf schema for ComponentStatus in v1/,
    },
    { name: "wrong group", body: envelope("v1", "Deployment", new Uint8Array(0)), error: /Deployment in v1/ },
    {
      name: "encoded raw",
      body: envelope("v1", "Pod", new Uint8Array(0), bytes(3, "gzip")),
      error: /unsupported contentEncoding "gzip"/,
    },
    {
      name: "JSON inside",
      body: envelope("v1", "Pod", new Uint8Array(0), bytes(4, "application/json")),
      error: /unsupported contentType "application\/json"/,
    },
    {
      name: "wrong wire type",
      body: envelope("v1", "ConfigMap", meta("c", int(11, 5))),
      error: /ObjectMeta\.labels: wire type 0, expected 2/,
    },
    {
      name: "truncated object",
      body: envelope("v1", "ConfigMap", meta("c").subarray(0, 3)),
      error: /runs past the end/,
    },
    {
      name: "bad IntOrString",
      body: envelope("v1", "Service", message(2, message(1, message(4, int(1, 7))))),
      error: /IntOrString: unknown type 7/,
    },
  ];
  it.each(bad)("refuses $name with a ProtobufError", ({ body, error }) => {
    expect(() => decodeKubernetesProtobuf(body)).toThrow(ProtobufError);
    expect(() => decodeKubernetesProtobuf(body)).toThrow(error);
  });

  it("refuses nesting deeper than any Kubernetes type", () => {
    // The built-in types nest only a few levels; a message that contains itself stands in for hostile depth.
    const table = { Loop: { 1: { name: "next", type: "message:Loop" as const } } };
    let body: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 100; i++) body = message(1, body);
    expect(() => decodeMessage(body, "Loop", table)).toThrow(/nested deeper than 64 levels/);
  });

  it("never hangs or throws anything but ProtobufError on random or mutated input", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const samples = KUBECTL_BODIES.map((b) => fromBase64(b.body));
    for (let i = 0; i < 3000; i++) {
      const base = samples[i % samples.length].slice();
      if (i % 3 === 0) for (let j = 4; j < base.length; j++) base[j] = Math.floor(random() * 256);
      else base[4 + Math.floor(random() * (base.length - 4))] = Math.floor(random() * 256);
      const cut = i % 5 === 0 ? base.subarray(0, Math.floor(random() * base.length)) : base;
      try {
        decodeKubernetesProtobuf(cut);
      } catch (err) {
        if (!(err instanceof ProtobufError)) throw err;
      }
    }
  });
});
