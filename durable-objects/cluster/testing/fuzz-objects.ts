// For the fuzz suite: one valid object of every served kind, and fast-check arbitraries that turn
// it into a plausible hostile body — arbitrary JSON or values of the right type but odd content at
// paths the kind's schema has (so the body reaches deep into defaulting and validation), unknown
// fields, deletions — rather than noise alone.
import fc from "fast-check";
import { type Definitions, resolve, type Schema } from "../../../kube/schema/dsl.ts";
import { definitions } from "../../../kube/schema/registry.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { definitionName } from "../registry/definition-name.ts";
import { apiVersionOf } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

const containers = [{ name: "c", image: "busybox:stable", command: ["sleep", "1"], ports: [{ containerPort: 80 }] }];
const labels = { app: "fuzz" };
const podTemplate = { metadata: { labels }, spec: { containers } };
const selector = { matchLabels: labels };

/** The spec-level fields of a valid object of each kind (metadata and apiVersion/kind are added). */
const BODIES: Record<string, Json> = {
  ConfigMap: { data: { a: "1" } },
  Secret: { type: "Opaque", data: { a: "MQ==" } },
  ServiceAccount: {},
  Namespace: {},
  Service: { spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } },
  Endpoints: { subsets: [{ addresses: [{ ip: "10.0.0.1" }], ports: [{ port: 80 }] }] },
  Pod: { spec: { containers } },
  Node: { spec: { podCIDR: "10.244.9.0/24" } },
  Event: { involvedObject: { kind: "Pod", name: "p", namespace: "default" }, reason: "Fuzz", message: "m" },
  Deployment: { spec: { replicas: 0, selector, template: podTemplate } },
  ReplicaSet: { spec: { replicas: 0, selector, template: podTemplate } },
  ReplicationController: { spec: { replicas: 0, selector: labels, template: podTemplate } },
  PodTemplate: { template: podTemplate },
  NetworkPolicy: {
    spec: {
      podSelector: selector,
      ingress: [{ from: [{ podSelector: selector }, { ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }] }],
      egress: [{ ports: [{ protocol: "TCP", port: 5000, endPort: 5010 }] }],
    },
  },
  StatefulSet: { spec: { replicas: 0, serviceName: "s", selector, template: podTemplate } },
  DaemonSet: { spec: { selector, template: podTemplate } },
  ControllerRevision: { revision: 1, data: { spec: {} } },
  Job: { spec: { suspend: true, template: { spec: { containers, restartPolicy: "Never" } } } },
  CronJob: {
    spec: {
      schedule: "*/5 * * * *",
      suspend: true,
      jobTemplate: { spec: { template: { spec: { containers, restartPolicy: "Never" } } } },
    },
  },
  HorizontalPodAutoscaler: {
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "d" }, minReplicas: 1, maxReplicas: 3 },
  },
  PodDisruptionBudget: { spec: { minAvailable: 1, selector } },
  Lease: { spec: { holderIdentity: "h", leaseDurationSeconds: 15 } },
  EndpointSlice: { addressType: "IPv4", endpoints: [{ addresses: ["10.0.0.1"] }], ports: [{ port: 80 }] },
  PriorityClass: { value: 1000 },
  Role: { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] },
  ClusterRole: { rules: [{ nonResourceURLs: ["/healthz"], verbs: ["get"] }] },
  RoleBinding: {
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
    subjects: [{ kind: "User", name: "u" }],
  },
  ClusterRoleBinding: {
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
    subjects: [{ kind: "Group", name: "g" }],
  },
  PersistentVolumeClaim: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } } },
  PersistentVolume: {
    spec: { capacity: { storage: "1Mi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/tmp/fuzz" } },
  },
  StorageClass: { provisioner: "example.com/fuzz" },
  ResourceQuota: { spec: { hard: { "count/widgets.example.com": "5" } } },
  LimitRange: { spec: { limits: [{ type: "Container", max: { memory: "64Gi" } }] } },
  ValidatingAdmissionPolicy: {
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: ["coordination.k8s.io"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["leases"] },
        ],
      },
      validations: [
        { expression: "object.metadata.name.matches('^[a-z]')", messageExpression: "'bad ' + object.metadata.name" },
      ],
    },
  },
  ValidatingAdmissionPolicyBinding: { spec: { policyName: "fuzz-policy", validationActions: ["Warn"] } },
  IngressClass: { spec: { controller: "example.com/fuzz" } },
  Ingress: {
    spec: {
      rules: [
        {
          host: "fuzz.example",
          http: {
            paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "s", port: { number: 80 } } } }],
          },
        },
      ],
    },
  },
};

/** A CRD's name must be its plural and group: `name` becomes the plural (fuzz.example.com/v1 `name`s). */
function fuzzCrd(name: string): KubeObject {
  const kind = name.charAt(0).toUpperCase() + name.slice(1).replace(/-/g, "");
  const schema = { type: "object", properties: { spec: { type: "object", properties: { size: { type: "string" } } } } };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${name}.fuzz.example.com`, labels },
    spec: {
      group: "fuzz.example.com",
      names: { plural: name, singular: name, kind, listKind: `${kind}List` },
      scope: "Namespaced",
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  };
}

/** A valid object of the kind, named `name`. */
export function validObject(kind: ResourceKind, name: string): KubeObject {
  const spec = structuredClone(BODIES[kind.kind] ?? {});
  if (kind.kind === "Event" && kind.group === "events.k8s.io") {
    return {
      apiVersion: apiVersionOf(kind),
      kind: kind.kind,
      metadata: { name },
      eventTime: "2026-01-01T00:00:00.000000Z",
      reportingController: "fuzz",
      reportingInstance: "fuzz-1",
      action: "Fuzz",
      reason: "Fuzz",
      type: "Normal",
      regarding: { kind: "Pod", name: "p", namespace: "default" },
    };
  }
  if (kind.kind === "CustomResourceDefinition") return fuzzCrd(name);
  if (kind.kind === "HorizontalPodAutoscaler" && kind.version === "v1") spec.spec.targetCPUUtilizationPercentage = 50;
  return { apiVersion: apiVersionOf(kind), kind: kind.kind, metadata: { name, labels }, ...spec };
}

/** Strings that tend to break parsers and validators. */
const oddString = fc.oneof(
  fc.constantFrom("", " ", "-1", "0", "1.5", "1e309", "a/b", "../x", "\u0000", "日本", "true", "null", "{}", "[]"),
  fc.constantFrom("10.0.0.1", "::1", "2001:db8::1", "*/5 * * * *", "100Mi", "500m", "-5Gi", "TCP", "Always"),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.constant("x".repeat(300)),
);
const oddInteger = fc.oneof(
  fc.constantFrom(0, -1, 1, 2147483647, -2147483648, 2147483648, 9007199254740991, -9007199254740991),
  fc.integer(),
);

/** A value of the JSON type the schema node asks for, but of odd content. */
function typedValue(defs: Definitions, schema: Schema): fc.Arbitrary<Json> {
  const s = resolve(defs, schema);
  if (!s) return fc.jsonValue({ maxDepth: 2 });
  switch (s.kind) {
    case "scalar":
      if (s.type === "string") return s.enum ? fc.oneof(fc.constantFrom(...s.enum), oddString) : oddString;
      if (s.type === "boolean") return fc.boolean();
      if (s.type === "integer") return oddInteger;
      return fc.oneof(oddInteger, fc.double({ noNaN: true, noDefaultInfinity: true }));
    case "opaque":
      return fc.oneof(oddString, oddInteger);
    case "array":
      return fc.array(fc.constant({}), { maxLength: 3 });
    default:
      return fc.constantFrom({}, { a: "b" });
  }
}

/** Follows `choices` down the schema from `schema`: a path of property names and list indexes, and the node it ends at. */
function schemaPath(defs: Definitions, schema: Schema, choices: number[]): { path: (string | number)[]; at: Schema } {
  const path: (string | number)[] = [];
  let at = schema;
  for (const c of choices) {
    const s = resolve(defs, at);
    if (!s || c % 5 === 0) break; // stop here now and then, so shallow fields are hit too
    if (s.kind === "object") {
      const keys = Object.keys(s.properties);
      if (keys.length === 0) break;
      const key = keys[c % keys.length];
      path.push(key);
      at = s.properties[key];
    } else if (s.kind === "array") {
      path.push(c % 2);
      at = s.items;
    } else if (s.kind === "map") {
      path.push(["a", "b/c", "app"][c % 3]);
      at = s.value;
    } else break;
  }
  return { path, at };
}

/** Sets `value` at `path` in `obj`, making the containers on the way as the path asks. */
export function setAt(obj: Json, path: readonly (string | number)[], value: unknown): void {
  let node = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const next = path[i + 1];
    if (node[key] === null || typeof node[key] !== "object") node[key] = typeof next === "number" ? [] : {};
    node = node[key];
  }
  if (path.length === 0) return;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === "number") node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
}

/** Every path to a value inside `obj`, for mutations of what a valid object already holds. */
function existingPaths(obj: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (obj !== null && typeof obj === "object")
    for (const [k, v] of Object.entries(obj)) {
      const path = [...prefix, Array.isArray(obj) ? Number(k) : k];
      out.push(path);
      existingPaths(v, path, out);
    }
  return out;
}

type Mutation = (obj: Json) => void;

/** One change to a valid object of the kind. */
function mutation(kind: ResourceKind): fc.Arbitrary<Mutation> {
  const root = { kind: "ref", name: definitionName(kind) } as const;
  const atSchemaPath = fc
    .tuple(fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), fc.nat(), fc.jsonValue({ maxDepth: 3 }))
    .chain(([choices, pick, json]) => {
      const { path, at } = schemaPath(definitions, root, choices);
      return fc.oneof(typedValue(definitions, at), fc.constant(json), fc.constant(null), fc.constant(undefined)).map(
        (v): Mutation =>
          (obj) =>
            setAt(obj, pick % 7 === 0 ? path.slice(0, -1) : path, v),
      );
    });
  const atExistingPath = fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(
    ([pick, v]): Mutation =>
      (obj) => {
        const paths = existingPaths(obj);
        if (paths.length > 0) setAt(obj, paths[pick % paths.length], v);
      },
  );
  const unknownField = fc.tuple(fc.nat(), fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })).map(
    ([pick, key, v]): Mutation =>
      (obj) => {
        const objects = [[], ...existingPaths(obj)].filter((p) => {
          let node = obj;
          for (const k of p) node = node?.[k];
          return node !== null && typeof node === "object" && !Array.isArray(node);
        });
        setAt(obj, [...objects[pick % objects.length], key || "x"], v);
      },
  );
  return fc.oneof({ weight: 5, arbitrary: atSchemaPath }, { weight: 3, arbitrary: atExistingPath }, unknownField);
}

/** A valid object of the kind with one to three hostile changes (or none, now and then). */
export function hostileObject(kind: ResourceKind, name: fc.Arbitrary<string>): fc.Arbitrary<Json> {
  return fc.tuple(name, fc.array(mutation(kind), { minLength: 0, maxLength: 3 })).map(([n, changes]) => {
    const obj = validObject(kind, n) as Json;
    for (const change of changes) change(obj);
    return obj;
  });
}
