// Container validation shared by pods and pod templates (validateContainers,
// validateInitContainers and validateContainerCommon in pkg/apis/core/validation).
import {
  duplicate,
  type FieldError,
  forbidden,
  invalid,
  notFound,
  notSupported,
  required,
} from "../../../kube/field-errors.ts";
import { isDNS1123Label } from "../../../kube/names.ts";
import { validateResources } from "./pod-resources.ts";

// biome-ignore lint/suspicious/noExplicitAny: containers are plain JSON from the client
type Container = Record<string, any>;

// field.NotFound. kube/field-errors.ts has no NotFound type yet, so this renders as Invalid until it does.

const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const PORT_RANGE = "must be between 1 and 65535, inclusive";
const NOT_FOR_INIT = "may not be set for init containers without restartPolicy=Always";

export function dns1123LabelErrors(value: string, field: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalid(field, value, msg));
}

/** validation.IsValidPortName. */
export function portNameProblems(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

const validPort = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535;

function validatePorts(ports: Container[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const at = `${field}[${i}]`;
    if (port.name) {
      const problems = portNameProblems(port.name);
      if (problems.length > 0) for (const msg of problems) errs.push(invalid(`${at}.name`, port.name, msg));
      else if (names.has(port.name)) errs.push(duplicate(`${at}.name`, port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(`${at}.containerPort`));
    else if (!validPort(port.containerPort)) errs.push(invalid(`${at}.containerPort`, port.containerPort, PORT_RANGE));
    if (port.hostPort && !validPort(port.hostPort)) errs.push(invalid(`${at}.hostPort`, port.hostPort, PORT_RANGE));
    if (!port.protocol) errs.push(required(`${at}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${at}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

/** validation.IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on by default since 1.32). */
function envNameProblems(name: string): string[] {
  return /^[\x20-\x3c\x3e-\x7e]*$/.test(name) ? [] : ["must consist of printable ASCII characters except '='"];
}

const ENV_SOURCES = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"];

function validateEnv(env: Container[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((ev, i) => {
    const at = `${field}[${i}]`;
    if (!ev.name) errs.push(required(`${at}.name`));
    else for (const msg of envNameProblems(ev.name)) errs.push(invalid(`${at}.name`, ev.name, msg));
    if (!ev.valueFrom) return;
    const sources = ENV_SOURCES.filter((s) => ev.valueFrom[s] !== undefined && ev.valueFrom[s] !== null).length;
    const from = `${at}.valueFrom`;
    if (sources === 0)
      errs.push(
        invalid(from, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"),
      );
    else if (ev.value) errs.push(invalid(from, "", "may not be specified when `value` is not empty"));
    else if (sources > 1) errs.push(invalid(from, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

function validateVolumeMounts(mounts: Container[] | undefined, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const at = `${field}[${i}]`;
    if (!m.name) errs.push(required(`${at}.name`));
    if (!volumes.has(m.name ?? "")) errs.push(notFound(`${at}.name`, m.name ?? ""));
    if (!m.mountPath) errs.push(required(`${at}.mountPath`));
    if (paths.has(m.mountPath)) errs.push(invalid(`${at}.mountPath`, m.mountPath, "must be unique"));
    paths.add(m.mountPath);
  });
  return errs;
}

function validatePolicy(value: string | undefined, allowed: string[], field: string): FieldError[] {
  if (!value) return [required(field)];
  return allowed.includes(value) ? [] : [notSupported(field, value, allowed)];
}

const HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"];
const PROBE_NUMBERS = [
  "initialDelaySeconds",
  "timeoutSeconds",
  "periodSeconds",
  "successThreshold",
  "failureThreshold",
];

/** validateProbe: one handler, non-negative numbers. */
function validateProbe(probe: Container | undefined, field: string): FieldError[] {
  if (!probe) return [];
  const errs: FieldError[] = [];
  const handlers = HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (handlers.length === 0) errs.push(required(field, "must specify a handler type"));
  for (const h of handlers.slice(1)) errs.push(forbidden(`${field}.${h}`, "may not specify more than 1 handler type"));
  for (const n of PROBE_NUMBERS)
    if (typeof probe[n] === "number" && probe[n] < 0)
      errs.push(invalid(`${field}.${n}`, probe[n], "must be greater than or equal to 0"));
  return errs;
}

/** validateContainerCommon: what every container, regular, init or ephemeral, must satisfy. */
export function validateCommon(ctr: Container, volumes: Set<string>, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!ctr.name) errs.push(required(`${at}.name`));
  else errs.push(...dns1123LabelErrors(ctr.name, `${at}.name`));
  if (!ctr.image) errs.push(required(`${at}.image`));
  errs.push(
    ...validatePolicy(ctr.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES, `${at}.terminationMessagePolicy`),
  );
  errs.push(...validatePorts(ctr.ports, `${at}.ports`));
  errs.push(...validateEnv(ctr.env, `${at}.env`));
  errs.push(...validateVolumeMounts(ctr.volumeMounts, volumes, `${at}.volumeMounts`));
  errs.push(...validatePolicy(ctr.imagePullPolicy, PULL_POLICIES, `${at}.imagePullPolicy`));
  errs.push(...validateResources(ctr.resources, `${at}.resources`));
  return errs;
}

function validateRegularProbes(ctr: Container, at: string): FieldError[] {
  const errs = [
    ...validateProbe(ctr.livenessProbe, `${at}.livenessProbe`),
    ...validateProbe(ctr.readinessProbe, `${at}.readinessProbe`),
    ...validateProbe(ctr.startupProbe, `${at}.startupProbe`),
  ];
  for (const p of ["livenessProbe", "startupProbe"]) {
    const threshold = ctr[p]?.successThreshold;
    if (threshold !== undefined && threshold !== 1)
      errs.push(invalid(`${at}.${p}.successThreshold`, threshold, "must be 1"));
  }
  return errs;
}

/** validateContainers: the regular containers of a pod spec at `field` (…spec.containers). */
export function validateContainers(
  containers: Container[] | undefined,
  volumes: Set<string>,
  field: string,
): FieldError[] {
  if (!containers || containers.length === 0) return [required(field)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((ctr, i) => {
    const at = `${field}[${i}]`;
    errs.push(...validateCommon(ctr, volumes, at));
    if (names.has(ctr.name)) errs.push(duplicate(`${at}.name`, ctr.name));
    else names.add(ctr.name);
    errs.push(...validateRegularProbes(ctr, at));
    if (ctr.restartPolicy !== undefined)
      errs.push(forbidden(`${at}.restartPolicy`, "may not be set for non-init containers"));
  });
  return errs;
}

/** validateInitContainers: names must also differ from the regular containers'. */
export function validateInitContainers(
  inits: Container[] | undefined,
  containers: Container[] | undefined,
  volumes: Set<string>,
  field: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>((containers ?? []).map((c) => c.name));
  (inits ?? []).forEach((ctr, i) => {
    const at = `${field}[${i}]`;
    errs.push(...validateCommon(ctr, volumes, at));
    const sidecar = ctr.restartPolicy === "Always";
    if (ctr.restartPolicy !== undefined && !sidecar)
      errs.push(notSupported(`${at}.restartPolicy`, ctr.restartPolicy, ["Always"]));
    if (names.has(ctr.name)) errs.push(duplicate(`${at}.name`, ctr.name));
    else if (ctr.name) names.add(ctr.name);
    if (sidecar) errs.push(...validateRegularProbes(ctr, at));
    else
      for (const f of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"])
        if (ctr[f] !== undefined) errs.push(forbidden(`${at}.${f}`, NOT_FOR_INIT));
  });
  return errs;
}

/** validateContainersOnlyForPod: checks pods make and templates do not. */
export function validateImagesOnlyForPod(containers: Container[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (containers ?? []).forEach((ctr, i) => {
    if (typeof ctr.image === "string" && ctr.image.trim() !== ctr.image)
      errs.push(invalid(`${field}[${i}].image`, ctr.image, "must not have leading or trailing whitespace"));
  });
  return errs;
}
