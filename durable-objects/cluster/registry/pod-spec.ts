// Pod spec defaults (pkg/apis/core/v1/defaults.go) and validation (ValidatePodSpec,
// ValidatePodTemplateSpec), shared by pods and every kind that embeds a pod template.
import { type FieldError, duplicate, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from "../../../kube/names.ts";
import { validateAnnotations, validateLabels } from "./meta.ts";
import { validateEphemeralContainers } from "./pod-ephemeral.ts";
import {
  dns1123LabelErrors,
  validateContainers,
  validateImagesOnlyForPod,
  validateInitContainers,
} from "./pod-containers.ts";
import type { LooseObject } from "../../../kube/types.ts";

// ---------------------------------------------------------------- defaults

/** SetDefaults_Container's pull policy: Always for `:latest` or no tag, else IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): "Always" | "IfNotPresent" {
  // An unparsable reference leaves upstream with no tag, hence IfNotPresent.
  if (!image || /\s/.test(image)) return "IfNotPresent";
  const [name, digest] = image.split("@", 2);
  const colon = name.lastIndexOf(":");
  const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : "";
  if (tag === "latest") return "Always";
  return tag === "" && !digest ? "Always" : "IfNotPresent";
}

function defaultHttpGet(action: LooseObject | undefined): void {
  if (!action) return;
  action.path ||= "/";
  action.scheme ||= "HTTP";
}

function defaultProbe(probe: LooseObject | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  defaultHttpGet(probe.httpGet);
}

function defaultEnv(env: LooseObject[] | undefined): void {
  for (const ev of env ?? []) {
    const from = ev.valueFrom;
    if (from?.fieldRef) from.fieldRef.apiVersion ||= "v1";
    if (from?.resourceFieldRef && from.resourceFieldRef.divisor === undefined) from.resourceFieldRef.divisor = "0";
  }
}

function defaultContainer(ctr: LooseObject): void {
  ctr.imagePullPolicy ||= defaultPullPolicy(ctr.image);
  ctr.terminationMessagePath ||= "/dev/termination-log";
  ctr.terminationMessagePolicy ||= "File";
  ctr.resources ??= {};
  for (const port of ctr.ports ?? []) port.protocol ||= "TCP";
  defaultEnv(ctr.env);
  for (const p of ["livenessProbe", "readinessProbe", "startupProbe"]) defaultProbe(ctr[p]);
  for (const h of ["postStart", "preStop"]) defaultHttpGet(ctr.lifecycle?.[h]?.httpGet);
}

export const VOLUME_TYPES = [
  "hostPath",
  "emptyDir",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "secret",
  "nfs",
  "iscsi",
  "glusterfs",
  "persistentVolumeClaim",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "downwardAPI",
  "fc",
  "azureFile",
  "configMap",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "projected",
  "portworxVolume",
  "scaleIO",
  "storageos",
  "csi",
  "ephemeral",
  "image",
];

const sourcesOf = (v: LooseObject) => VOLUME_TYPES.filter((t) => v[t] !== undefined && v[t] !== null);

function defaultVolume(v: LooseObject): void {
  if (sourcesOf(v).length === 0) v.emptyDir = {};
  for (const t of ["secret", "configMap", "downwardAPI", "projected"]) if (v[t]) v[t].defaultMode ??= 0o644;
  if (v.hostPath) v.hostPath.type ??= "";
  for (const item of v.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= "v1";
  for (const src of v.projected?.sources ?? []) {
    for (const item of src.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= "v1";
    if (src.serviceAccountToken) src.serviceAccountToken.expirationSeconds ??= 3600;
  }
}

/** SetDefaults_PodSpec plus the nested container, volume and probe defaults. */
export function defaultPodSpec(spec: LooseObject): void {
  spec.dnsPolicy ||= "ClusterFirst";
  spec.restartPolicy ||= "Always";
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= "default-scheduler";
  // v1 conversion keeps the deprecated serviceAccount alias in step with serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const ctr of all) defaultContainer(ctr);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Defaults for an embedded PodTemplateSpec (creating missing spec objects as Go's zero values would). */
export function defaultPodTemplate(template: LooseObject | undefined): LooseObject {
  const t = template ?? {};
  t.spec ??= {};
  defaultPodSpec(t.spec);
  return t;
}

// ---------------------------------------------------------------- validation

export interface PodSpecOptions {
  /** Pods get a few checks templates do not (opts.ResourceIsPod upstream). */
  isPod: boolean;
}

function volumeSourceErrors(v: LooseObject, at: string): FieldError[] {
  const sources = sourcesOf(v);
  if (sources.length === 0) return [required(at, "must specify a volume type")];
  const errs = sources.slice(1).map((t) => forbidden(`${at}.${t}`, "may not specify more than 1 volume type"));
  if (v.secret && !v.secret.secretName) errs.push(required(`${at}.secret.secretName`));
  if (v.configMap && !v.configMap.name) errs.push(required(`${at}.configMap.name`));
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName)
    errs.push(required(`${at}.persistentVolumeClaim.claimName`));
  if (v.hostPath && !v.hostPath.path) errs.push(required(`${at}.hostPath.path`));
  (v.projected?.sources ?? []).forEach((src: LooseObject, i: number) => {
    const token = src?.serviceAccountToken;
    if (!token) return;
    const seconds = `${at}.projected.sources[${i}].serviceAccountToken.expirationSeconds`;
    if (token.expirationSeconds < 600)
      errs.push(invalid(seconds, token.expirationSeconds, "may not specify a duration less than 10 minutes"));
    if (token.expirationSeconds > 2 ** 32)
      errs.push(invalid(seconds, token.expirationSeconds, "may not specify a duration larger than 2^32 seconds"));
    // Upstream names the projection's path here, not the source's.
    if (!token.path) errs.push(required(`${at}.projected.path`));
  });
  return errs;
}

/** ValidateVolumes: returns the errors and the names of the volumes that passed. */
function validateVolumes(volumes: LooseObject[] | undefined, field: string): [FieldError[], Set<string>] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const at = `${field}[${i}]`;
    const el = volumeSourceErrors(v, at);
    if (!v.name) el.push(required(`${at}.name`));
    else el.push(...dns1123LabelErrors(v.name, `${at}.name`));
    if (names.has(v.name)) el.push(duplicate(`${at}.name`, v.name));
    if (el.length === 0) names.add(v.name);
    errs.push(...el);
  });
  return [errs, names];
}

function subdomainErrors(value: string | undefined, field: string): FieldError[] {
  return value ? isDNS1123Subdomain(value).map((msg) => invalid(field, value, msg)) : [];
}

function oneOf(value: string | undefined, allowed: string[], field: string): FieldError[] {
  if (!value) return [required(field)];
  return allowed.includes(value) ? [] : [notSupported(field, value, allowed)];
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** ValidateTolerations. */
export function validateTolerations(tolerations: LooseObject[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const at = `${field}[${i}]`;
    if (t.key) for (const msg of isQualifiedName(t.key)) errs.push(invalid(`${at}.key`, t.key, msg));
    if (!t.key && t.operator !== "Exists")
      errs.push(
        invalid(
          `${at}.operator`,
          t.operator ?? "",
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== "NoExecute")
      errs.push(invalid(`${at}.effect`, t.effect ?? "", "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (!t.operator || t.operator === "Equal")
      for (const msg of isValidLabelValue(t.value ?? "")) errs.push(invalid(`${at}.operator`, t.value, msg));
    else if (t.operator === "Exists") {
      if (t.value) errs.push(invalid(`${at}.operator`, t, "value must be empty when `operator` is 'Exists'"));
    } else errs.push(notSupported(`${at}.operator`, t.operator, ["Equal", "Exists"]));
    if (t.effect && !EFFECTS.includes(t.effect)) errs.push(notSupported(`${at}.effect`, t.effect, EFFECTS));
  });
  return errs;
}

function validateSchedulingGates(gates: LooseObject[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (gates ?? []).forEach((g, i) => {
    for (const msg of isQualifiedName(g.name ?? "")) errs.push(invalid(`${field}[${i}]`, g.name ?? "", msg));
    if (seen.has(g.name)) errs.push(duplicate(`${field}[${i}]`, g.name));
    seen.add(g.name);
  });
  return errs;
}

/** validatePodHostNetworkDeps: with the host's network, a host port must equal its container port. */
function hostNetworkErrors(spec: LooseObject, field: string, opts: PodSpecOptions): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errs: FieldError[] = [];
  for (const list of ["containers", "initContainers"])
    (spec[list] ?? []).forEach((ctr: LooseObject, i: number) => {
      (ctr.ports ?? []).forEach((p: LooseObject, j: number) => {
        const hostPort = p.hostPort ?? 0;
        if (hostPort === p.containerPort || (!opts.isPod && hostPort === 0)) return;
        const at = `${field}.${list}[${i}].ports[${j}].hostPort`;
        errs.push(invalid(at, hostPort, "must match `containerPort` when `hostNetwork` is true"));
      });
    });
  return errs;
}

function validatePodLevel(spec: LooseObject, field: string): FieldError[] {
  const errs = [
    ...oneOf(spec.restartPolicy, ["Always", "OnFailure", "Never"], `${field}.restartPolicy`),
    ...oneOf(spec.dnsPolicy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"], `${field}.dnsPolicy`),
    ...validateLabels(spec.nodeSelector, `${field}.nodeSelector`),
    ...subdomainErrors(spec.serviceAccountName, `${field}.serviceAccountName`),
    ...subdomainErrors(spec.nodeName, `${field}.nodeName`),
    ...subdomainErrors(spec.priorityClassName, `${field}.priorityClassName`),
    ...validateTolerations(spec.tolerations, `${field}.tolerations`),
    ...validateSchedulingGates(spec.schedulingGates, `${field}.schedulingGates`),
  ];
  if (spec.dnsPolicy === "None" && !spec.dnsConfig)
    errs.push(required(`${field}.dnsConfig`, "must provide `dnsConfig` when `dnsPolicy` is None"));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && !(deadline >= 1 && deadline <= 2147483647))
    errs.push(invalid(`${field}.activeDeadlineSeconds`, deadline, "must be between 1 and 2147483647, inclusive"));
  if (spec.hostname) errs.push(...dns1123LabelErrors(spec.hostname, `${field}.hostname`));
  if (spec.subdomain) errs.push(...dns1123LabelErrors(spec.subdomain, `${field}.subdomain`));
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null)
    errs.push(...oneOf(spec.preemptionPolicy, ["PreemptLowerPriority", "Never"], `${field}.preemptionPolicy`));
  return errs;
}

/** ValidatePodSpec at `field` (e.g. "spec" or "spec.template.spec"). */
export function validatePodSpec(spec: LooseObject | undefined, field: string, opts: PodSpecOptions): FieldError[] {
  const s = spec ?? {};
  const [errs, volumes] = validateVolumes(s.volumes, `${field}.volumes`);
  errs.push(...validateContainers(s.containers, volumes, `${field}.containers`));
  errs.push(...validateInitContainers(s.initContainers, s.containers, volumes, `${field}.initContainers`));
  errs.push(...validateEphemeralContainers(s, volumes, `${field}.ephemeralContainers`));
  errs.push(...hostNetworkErrors(s, field, opts));
  errs.push(...validatePodLevel(s, field));
  if (opts.isPod) {
    errs.push(...validateImagesOnlyForPod(s.containers, `${field}.containers`));
    errs.push(...validateImagesOnlyForPod(s.initContainers, `${field}.initContainers`));
  }
  return errs;
}

/** ValidatePodTemplateSpec at `field` (e.g. "spec.template"). Upstream reports labels at `<field>.labels`. */
export function validatePodTemplate(template: LooseObject | undefined, field: string): FieldError[] {
  const meta = template?.metadata ?? {};
  const errs = [
    ...validateLabels(meta.labels, `${field}.labels`),
    ...validateAnnotations(meta.annotations, `${field}.annotations`),
    ...validatePodSpec(template?.spec, `${field}.spec`, { isPod: false }),
  ];
  if ((template?.spec?.ephemeralContainers ?? []).length > 0)
    errs.push(forbidden(`${field}.spec.ephemeralContainers`, "ephemeral containers not allowed in pod template"));
  return errs;
}
