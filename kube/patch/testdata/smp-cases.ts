// Golden cases for strategic merge patch: (kind, original, patch) → expected object, or the
// expected error. Expected orders follow upstream's list ordering rules (see list-order.ts).

import type { PatchSchema } from "../merge-keys.ts";

export interface SmpCase {
  name: string;
  /** The object's Kind, which selects the merge-key table; ignored when `schema` is given. */
  kind: string;
  schema?: PatchSchema;
  original: unknown;
  patch: unknown;
  expected?: unknown;
  error?: { code: number; message: string };
}

const c = (name: string, image = "img:1", extra: object = {}) => ({ name, image, ...extra });
const pod = (spec: object, metadata: object = { name: "p" }) => ({ kind: "Pod", metadata, spec });
const podSpec = (patch: object) => ({ spec: patch });
const template = (spec: object) => ({ spec: { template: { spec } } });

export const smpCases: SmpCase[] = [
  // --- maps -----------------------------------------------------------------------------------
  {
    name: "maps merge recursively and null deletes",
    kind: "Pod",
    original: pod({ nodeSelector: { a: "1", b: "2" } }, { name: "p", labels: { app: "web", tier: "x" } }),
    patch: { metadata: { labels: { tier: null, env: "prod" } }, spec: { nodeSelector: { b: "3" } } },
    expected: pod({ nodeSelector: { a: "1", b: "3" } }, { name: "p", labels: { app: "web", env: "prod" } }),
  },
  {
    name: "null for a missing field is dropped",
    kind: "Pod",
    original: pod({}),
    patch: { spec: { nodeName: null } },
    expected: pod({}),
  },
  {
    name: "$patch: replace on a map takes the patch whole",
    kind: "Pod",
    original: pod({}, { name: "p", labels: { a: "1", b: "2" } }),
    patch: { metadata: { labels: { $patch: "replace", c: "3" } } },
    expected: pod({}, { name: "p", labels: { c: "3" } }),
  },
  {
    name: "$patch: delete on a map empties it",
    kind: "Pod",
    original: pod({ nodeSelector: { a: "1" } }),
    patch: { spec: { nodeSelector: { $patch: "delete" } } },
    expected: pod({ nodeSelector: {} }),
  },
  {
    name: "$patch: replace at the top replaces the object",
    kind: "Pod",
    original: pod({ nodeName: "n" }),
    patch: { $patch: "replace", kind: "Pod", metadata: { name: "q" } },
    expected: { kind: "Pod", metadata: { name: "q" } },
  },
  {
    name: "a value of another type replaces",
    kind: "Pod",
    original: pod({ nodeSelector: { a: "1" } }),
    patch: { spec: { nodeSelector: "x" } },
    expected: pod({ nodeSelector: "x" }),
  },
  {
    name: "null patch changes nothing",
    kind: "Pod",
    original: pod({ nodeName: "n" }),
    patch: null,
    expected: pod({ nodeName: "n" }),
  },
  // --- lists without a merge strategy are replaced ----------------------------------------------
  {
    name: "container args (primitives) are replaced",
    kind: "Pod",
    original: pod({ containers: [c("a", "i", { args: ["x", "y"] })] }),
    patch: podSpec({ containers: [{ name: "a", args: ["z"] }] }),
    expected: pod({ containers: [c("a", "i", { args: ["z"] })] }),
  },
  {
    name: "tolerations have no merge key upstream: replaced",
    kind: "Pod",
    original: pod({ tolerations: [{ key: "a", operator: "Exists" }] }),
    patch: podSpec({ tolerations: [{ key: "b", operator: "Exists" }] }),
    expected: pod({ tolerations: [{ key: "b", operator: "Exists" }] }),
  },
  {
    name: "envFrom is replaced",
    kind: "Pod",
    original: pod({ containers: [c("a", "i", { envFrom: [{ configMapRef: { name: "x" } }] })] }),
    patch: podSpec({ containers: [{ name: "a", envFrom: [{ secretRef: { name: "y" } }] }] }),
    expected: pod({ containers: [c("a", "i", { envFrom: [{ secretRef: { name: "y" } }] })] }),
  },
  {
    name: "unknown kinds replace their lists but still merge finalizers",
    kind: "Widget",
    original: { metadata: { finalizers: ["a"] }, spec: { items: [{ name: "x", v: 1 }] } },
    patch: { metadata: { finalizers: ["b"] }, spec: { items: [{ name: "x", v: 2 }] } },
    expected: { metadata: { finalizers: ["b", "a"] }, spec: { items: [{ name: "x", v: 2 }] } },
  },
  // --- merge lists of objects -------------------------------------------------------------------
  {
    name: "containers merge by name",
    kind: "Pod",
    original: pod({ containers: [c("a"), c("b")] }),
    patch: podSpec({ containers: [{ name: "b", image: "img:2" }] }),
    expected: pod({ containers: [c("a"), c("b", "img:2")] }),
  },
  {
    name: "a new container without $setElementOrder goes first, as upstream",
    kind: "Pod",
    original: pod({ containers: [c("a"), c("b")] }),
    patch: podSpec({ containers: [c("c", "img:2")] }),
    expected: pod({ containers: [c("c", "img:2"), c("a"), c("b")] }),
  },
  {
    name: "patch order wins for patched items, interleaved by live order",
    kind: "Pod",
    original: pod({ containers: [c("a"), c("b")] }),
    patch: podSpec({ containers: [c("c", "img:3"), { name: "a", image: "img:9" }] }),
    expected: pod({ containers: [c("c", "img:3"), c("a", "img:9"), c("b")] }),
  },
  {
    name: "$setElementOrder sets the final order",
    kind: "Pod",
    original: pod({ containers: [c("a"), c("b")] }),
    patch: podSpec({
      "$setElementOrder/containers": [{ name: "b" }, { name: "a" }, { name: "c" }],
      containers: [c("c", "img:3")],
    }),
    expected: pod({ containers: [c("b"), c("a"), c("c", "img:3")] }),
  },
  {
    name: "$setElementOrder alone reorders",
    kind: "Pod",
    original: pod({ containers: [c("a"), c("b")] }),
    patch: podSpec({ "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] }),
    expected: pod({ containers: [c("b"), c("a")] }),
  },
  {
    name: "$patch: delete removes an element (kubectl apply dropping a container)",
    kind: "Pod",
    original: pod({ containers: [c("a"), c("b"), c("c")] }),
    patch: podSpec({
      "$setElementOrder/containers": [{ name: "a" }, { name: "c" }],
      containers: [{ name: "b", $patch: "delete" }],
    }),
    expected: pod({ containers: [c("a"), c("c")] }),
  },
  {
    name: "$patch: replace in a list replaces the whole list",
    kind: "Pod",
    original: pod({ containers: [c("a"), c("b")] }),
    patch: podSpec({ containers: [c("x"), { $patch: "replace" }] }),
    expected: pod({ containers: [c("x")] }),
  },
  {
    name: "nested merge lists: env by name, ports by containerPort",
    kind: "Pod",
    original: pod({
      containers: [
        c("a", "i", {
          env: [
            { name: "A", value: "1" },
            { name: "B", value: "2" },
          ],
          ports: [
            { containerPort: 80, name: "http" },
            { containerPort: 443, name: "https" },
          ],
        }),
      ],
    }),
    patch: podSpec({
      containers: [
        {
          name: "a",
          env: [{ name: "B", value: "3" }],
          ports: [{ containerPort: 443, protocol: "TCP" }],
        },
      ],
    }),
    expected: pod({
      containers: [
        c("a", "i", {
          env: [
            { name: "A", value: "1" },
            { name: "B", value: "3" },
          ],
          ports: [
            { containerPort: 80, name: "http" },
            { containerPort: 443, name: "https", protocol: "TCP" },
          ],
        }),
      ],
    }),
  },
  {
    name: "volumeMounts by mountPath, volumeDevices by devicePath",
    kind: "Pod",
    original: pod({
      containers: [
        c("a", "i", {
          volumeMounts: [{ mountPath: "/a", name: "v1" }],
          volumeDevices: [{ devicePath: "/dev/x", name: "d1" }],
        }),
      ],
    }),
    patch: podSpec({
      containers: [
        {
          name: "a",
          volumeMounts: [{ mountPath: "/a", readOnly: true }],
          volumeDevices: [{ devicePath: "/dev/x", name: "d2" }],
        },
      ],
    }),
    expected: pod({
      containers: [
        c("a", "i", {
          volumeMounts: [{ mountPath: "/a", name: "v1", readOnly: true }],
          volumeDevices: [{ devicePath: "/dev/x", name: "d2" }],
        }),
      ],
    }),
  },
  {
    name: "pod spec lists: volumes, imagePullSecrets, hostAliases, topologySpreadConstraints, schedulingGates",
    kind: "Pod",
    original: pod({
      volumes: [{ name: "v", emptyDir: {} }],
      imagePullSecrets: [{ name: "s1" }],
      hostAliases: [{ ip: "1.1.1.1", hostnames: ["a"] }],
      topologySpreadConstraints: [{ topologyKey: "zone", maxSkew: 1 }],
      schedulingGates: [{ name: "g1" }],
    }),
    patch: podSpec({
      volumes: [{ name: "w", emptyDir: {} }],
      imagePullSecrets: [{ name: "s1" }],
      hostAliases: [{ ip: "1.1.1.1", hostnames: ["b"] }],
      topologySpreadConstraints: [{ topologyKey: "zone", maxSkew: 2 }],
      schedulingGates: [{ name: "g1", $patch: "delete" }],
    }),
    expected: pod({
      volumes: [
        { name: "w", emptyDir: {} },
        { name: "v", emptyDir: {} },
      ],
      imagePullSecrets: [{ name: "s1" }],
      hostAliases: [{ ip: "1.1.1.1", hostnames: ["b"] }],
      topologySpreadConstraints: [{ topologyKey: "zone", maxSkew: 2 }],
      schedulingGates: [],
    }),
  },
  {
    name: "initContainers, ephemeralContainers and resourceClaims merge by name",
    kind: "Pod",
    original: pod({
      initContainers: [c("i")],
      ephemeralContainers: [c("e")],
      resourceClaims: [{ name: "r", resourceClaimName: "x" }],
    }),
    patch: podSpec({
      initContainers: [{ name: "i", image: "img:2" }],
      ephemeralContainers: [c("f")],
      resourceClaims: [{ name: "r", resourceClaimName: "y" }],
    }),
    expected: pod({
      initContainers: [c("i", "img:2")],
      ephemeralContainers: [c("f"), c("e")],
      resourceClaims: [{ name: "r", resourceClaimName: "y" }],
    }),
  },
  {
    name: "$retainKeys on a volume switches its source",
    kind: "Pod",
    original: pod({ volumes: [{ name: "v", emptyDir: {} }] }),
    patch: podSpec({ volumes: [{ name: "v", configMap: { name: "cm" }, $retainKeys: ["configMap", "name"] }] }),
    expected: pod({ volumes: [{ name: "v", configMap: { name: "cm" } }] }),
  },
  {
    name: "ownerReferences merge by uid",
    kind: "ConfigMap",
    original: { metadata: { ownerReferences: [{ uid: "1", name: "a" }] } },
    patch: { metadata: { ownerReferences: [{ uid: "1", controller: true }] } },
    expected: { metadata: { ownerReferences: [{ uid: "1", name: "a", controller: true }] } },
  },
  {
    name: "pod status: conditions by type, podIPs by ip",
    kind: "Pod",
    original: {
      status: {
        conditions: [
          { type: "Ready", status: "False" },
          { type: "PodScheduled", status: "True" },
        ],
        podIPs: [{ ip: "10.0.0.1" }],
      },
    },
    patch: { status: { conditions: [{ type: "Ready", status: "True" }], podIPs: [{ ip: "fd00::1" }] } },
    expected: {
      status: {
        conditions: [
          { type: "Ready", status: "True" },
          { type: "PodScheduled", status: "True" },
        ],
        podIPs: [{ ip: "fd00::1" }, { ip: "10.0.0.1" }],
      },
    },
  },
  // --- lists of primitives with merge strategy (finalizers) --------------------------------------
  {
    name: "finalizers merge as a set, new ones first",
    kind: "ConfigMap",
    original: { metadata: { finalizers: ["a", "b"] } },
    patch: { metadata: { finalizers: ["c", "a"] } },
    expected: { metadata: { finalizers: ["c", "a", "b"] } },
  },
  {
    name: "$deleteFromPrimitiveList removes values",
    kind: "ConfigMap",
    original: { metadata: { finalizers: ["a", "b", "c"] } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["a", "c", "zz"] } },
    expected: { metadata: { finalizers: ["b"] } },
  },
  {
    name: "kubectl apply on finalizers: order, add and delete together",
    kind: "ConfigMap",
    original: { metadata: { finalizers: ["a", "b"] } },
    patch: {
      metadata: {
        "$setElementOrder/finalizers": ["b", "c"],
        finalizers: ["c"],
        "$deleteFromPrimitiveList/finalizers": ["a"],
      },
    },
    expected: { metadata: { finalizers: ["b", "c"] } },
  },
  {
    name: "$deleteFromPrimitiveList on a missing list does nothing",
    kind: "ConfigMap",
    original: { metadata: { name: "x" } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } },
    expected: { metadata: { name: "x" } },
  },
  {
    name: "node podCIDRs merge as a set; addresses by type",
    kind: "Node",
    original: {
      spec: { podCIDRs: ["10.0.0.0/24"] },
      status: {
        addresses: [
          { type: "InternalIP", address: "1.1.1.1" },
          { type: "Hostname", address: "n" },
        ],
      },
    },
    patch: {
      spec: { podCIDRs: ["10.0.0.0/24", "fd00::/64"] },
      status: { addresses: [{ type: "InternalIP", address: "2.2.2.2" }] },
    },
    expected: {
      spec: { podCIDRs: ["10.0.0.0/24", "fd00::/64"] },
      status: {
        addresses: [
          { type: "InternalIP", address: "2.2.2.2" },
          { type: "Hostname", address: "n" },
        ],
      },
    },
  },
  // --- other kinds ------------------------------------------------------------------------------
  {
    name: "Service ports merge by port",
    kind: "Service",
    original: {
      spec: {
        ports: [
          { port: 80, targetPort: 8080, protocol: "TCP" },
          { port: 443, targetPort: 8443 },
        ],
      },
    },
    patch: { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    expected: {
      spec: {
        ports: [
          { port: 80, targetPort: 9090, protocol: "TCP" },
          { port: 443, targetPort: 8443 },
        ],
      },
    },
  },
  ...["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"].map(
    (kind): SmpCase => ({
      name: `${kind} pod template containers merge by name`,
      kind,
      original: template({ containers: [c("a"), c("b")] }),
      patch: template({ containers: [{ name: "a", image: "img:2" }] }),
      expected: template({ containers: [c("a", "img:2"), c("b")] }),
    }),
  ),
  {
    name: "PodTemplate template containers merge by name",
    kind: "PodTemplate",
    original: { template: { spec: { containers: [c("a"), c("b")] } } },
    patch: { template: { spec: { containers: [{ name: "b", image: "img:2" }] } } },
    expected: { template: { spec: { containers: [c("a"), c("b", "img:2")] } } },
  },
  {
    name: "CronJob jobTemplate containers merge by name",
    kind: "CronJob",
    original: { spec: { jobTemplate: { spec: { template: { spec: { containers: [c("a"), c("b")] } } } } } },
    patch: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "b", image: "img:2" }] } } } } } },
    expected: { spec: { jobTemplate: { spec: { template: { spec: { containers: [c("a"), c("b", "img:2")] } } } } } },
  },
  {
    name: "Deployment strategy with $retainKeys (RollingUpdate → Recreate)",
    kind: "Deployment",
    original: { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: null, type: "Recreate" } } },
    expected: { spec: { strategy: { type: "Recreate" } } },
  },
  {
    name: "Deployment status conditions merge by type",
    kind: "Deployment",
    original: { status: { conditions: [{ type: "Available", status: "False" }] } },
    patch: { status: { conditions: [{ type: "Progressing", status: "True" }] } },
    expected: {
      status: {
        conditions: [
          { type: "Progressing", status: "True" },
          { type: "Available", status: "False" },
        ],
      },
    },
  },
  {
    name: "kubectl apply: env order and a changed value inside a template",
    kind: "Deployment",
    original: template({
      containers: [
        c("web", "nginx:1", {
          env: [
            { name: "A", value: "1" },
            { name: "B", value: "2" },
          ],
        }),
      ],
    }),
    patch: {
      metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "web" }],
            containers: [
              {
                "$setElementOrder/env": [{ name: "B" }, { name: "C" }, { name: "A" }],
                env: [
                  { name: "B", value: "3" },
                  { name: "C", value: "4" },
                ],
                image: "nginx:2",
                name: "web",
              },
            ],
          },
        },
      },
    },
    expected: {
      metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
      spec: {
        template: {
          spec: {
            containers: [
              c("web", "nginx:2", {
                env: [
                  { name: "B", value: "3" },
                  { name: "C", value: "4" },
                  { name: "A", value: "1" },
                ],
              }),
            ],
          },
        },
      },
    },
  },
  // --- values with no original are cleaned of directives --------------------------------------
  {
    name: "a new list keeps no directive keys or $patch elements",
    kind: "Pod",
    original: pod({}),
    patch: podSpec({
      initContainers: [
        {
          name: "i",
          image: "x",
          "$setElementOrder/env": [{ name: "B" }, { name: "A" }],
          env: [
            { name: "B", value: "2" },
            { name: "A", value: "1" },
          ],
        },
        { name: "gone", $patch: "delete" },
      ],
    }),
    expected: pod({
      initContainers: [
        {
          name: "i",
          image: "x",
          env: [
            { name: "B", value: "2" },
            { name: "A", value: "1" },
          ],
        },
      ],
    }),
  },
  {
    name: "a new map keeps no $retainKeys or nulls",
    kind: "Deployment",
    original: { spec: {} },
    patch: { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: null, type: "Recreate" } } },
    expected: { spec: { strategy: { type: "Recreate" } } },
  },
];
