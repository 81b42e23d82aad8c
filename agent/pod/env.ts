// A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables): envFrom
// first, then env (later names override), values expanded against the variables defined so far.
import type { ClaimVolume } from "../../kube/agent-protocol.ts";
import type { ConfigMap, Container, EnvVar, Pod, Secret } from "../../kube/pod-types.ts";
import { parseQuantity } from "../quantity.ts";
import { expand } from "./expand.ts";

/** What a pod's containers may reference: resolved by the cluster and delivered with the pod. */
export interface PodReferences {
  pod: Pod;
  configMaps: Record<string, ConfigMap>;
  secrets: Record<string, Secret>;
  podIP?: string;
  hostIP?: string;
  /** Node allocatable, the default for resourceFieldRef limits that are not set. */
  nodeAllocatable?: Record<string, string>;
  /** The Service variables (kube/service-env.ts): referable from env values, added unless env sets them. */
  serviceEnv?: [string, string][];
  /** The pod's bound ServiceAccount tokens by tokens.ts's tokenKey (its serviceAccountToken projections). */
  serviceAccountTokens?: Record<string, string>;
  /** Pod volume name → the bound volume of its claim (persistentVolumeClaim and ephemeral volumes). */
  claims?: Record<string, ClaimVolume>;
}

/** Thrown when a container cannot be configured (upstream: CreateContainerConfigError). */
export class ContainerConfigError extends Error {}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

const decodeBase64 = (text: string) => Buffer.from(text, "base64").toString("utf8");

/** A secret's values as text (data is base64 on the wire; stringData wins, as the API server would merge). */
export function secretValues(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = decodeBase64(v);
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}

function configMapOrFail(refs: PodReferences, name: string, optional: boolean): ConfigMap | undefined {
  const found = refs.configMaps[name];
  if (!found && !optional) throw new ContainerConfigError(`configmap "${name}" not found`);
  return found;
}

function secretOrFail(refs: PodReferences, name: string, optional: boolean): Secret | undefined {
  const found = refs.secrets[name];
  if (!found && !optional) throw new ContainerConfigError(`secret "${name}" not found`);
  return found;
}

/** fieldRef values (the downward API's env subset). */
export function fieldRefValue(refs: PodReferences, fieldPath: string): string {
  const { pod } = refs;
  const labelOrAnnotation = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (labelOrAnnotation) {
    const map = labelOrAnnotation[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[labelOrAnnotation[2]] ?? "";
  }
  switch (fieldPath) {
    case "metadata.name":
      return pod.metadata.name ?? "";
    case "metadata.namespace":
      return pod.metadata.namespace ?? "";
    case "metadata.uid":
      return pod.metadata.uid ?? "";
    case "spec.nodeName":
      return pod.spec.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "";
    case "status.hostIP":
    case "status.hostIPs":
      return refs.hostIP ?? "";
    case "status.podIP":
    case "status.podIPs":
      return refs.podIP ?? "";
  }
  throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
}

/** resourceFieldRef: the container's limit or request in units of the divisor, rounded up as upstream. */
export function resourceFieldValue(refs: PodReferences, container: Container, resource: string, divisor = "1"): string {
  const [kind, name] = resource.split(".");
  const source = kind === "limits" ? container.resources?.limits : container.resources?.requests;
  const text = source?.[name] ?? (kind === "limits" ? refs.nodeAllocatable?.[name] : undefined) ?? "0";
  const value = parseQuantity(text) ?? 0;
  const unit = parseQuantity(divisor) || 1;
  return String(Math.ceil(value / unit));
}

function valueFromSource(refs: PodReferences, container: Container, env: EnvVar): string | undefined {
  const from = env.valueFrom!;
  const ns = refs.pod.metadata.namespace ?? "default";
  if (from.configMapKeyRef) {
    const { name = "", key, optional = false } = from.configMapKeyRef;
    const cm = configMapOrFail(refs, name, optional);
    const value =
      cm?.data?.[key] ?? (cm?.binaryData?.[key] !== undefined ? decodeBase64(cm.binaryData[key]) : undefined);
    if (value === undefined && cm && !optional)
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${ns}/${name}`);
    return value;
  }
  if (from.secretKeyRef) {
    const { name = "", key, optional = false } = from.secretKeyRef;
    const secret = secretOrFail(refs, name, optional);
    const value = secret ? secretValues(secret)[key] : undefined;
    if (value === undefined && secret && !optional)
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${ns}/${name}`);
    return value;
  }
  if (from.fieldRef) return fieldRefValue(refs, from.fieldRef.fieldPath);
  if (from.resourceFieldRef) {
    const { containerName, resource, divisor } = from.resourceFieldRef;
    const target = containerName ? (findContainer(refs.pod, containerName) ?? container) : container;
    return resourceFieldValue(refs, target, resource, divisor);
  }
  return undefined;
}

export function findContainer(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === name);
}

function addEnvFrom(refs: PodReferences, container: Container, env: Map<string, string>): void {
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? "";
    let values: Record<string, string> = {};
    if (source.configMapRef) {
      const cm = configMapOrFail(refs, source.configMapRef.name ?? "", source.configMapRef.optional ?? false);
      values = { ...(cm?.data ?? {}) };
    } else if (source.secretRef) {
      const secret = secretOrFail(refs, source.secretRef.name ?? "", source.secretRef.optional ?? false);
      values = secret ? secretValues(secret) : {};
    }
    // Keys that are not valid variable names are skipped (upstream reports them in an event).
    for (const [key, value] of Object.entries(values)) if (ENV_NAME.test(prefix + key)) env.set(prefix + key, value);
  }
}

/** The container's environment, in order. Throws ContainerConfigError for a missing required reference. */
export function resolveEnv(refs: PodReferences, container: Container): [string, string][] {
  const env = new Map<string, string>();
  const services = new Map(refs.serviceEnv ?? []);
  addEnvFrom(refs, container, env);
  for (const variable of container.env ?? []) {
    if (variable.valueFrom) {
      const value = valueFromSource(refs, container, variable);
      if (value !== undefined) env.set(variable.name, value);
      continue;
    }
    env.set(
      variable.name,
      expand(variable.value ?? "", (name) => env.get(name) ?? services.get(name)),
    );
  }
  // As the kubelet: the container's own variables first, then the Service ones it did not set.
  return [...env, ...[...services].filter(([name]) => !env.has(name))];
}

/** command and args with $(VAR) expanded against the container's environment. */
export function expandCommand(container: Container, env: [string, string][]): { command?: string[]; args?: string[] } {
  const values = new Map(env);
  const lookup = (name: string) => values.get(name);
  return {
    command: container.command?.map((part) => expand(part, lookup)),
    args: container.args?.map((part) => expand(part, lookup)),
  };
}
