// autoscaling/v2 HorizontalPodAutoscaler, the storage version: SetDefaults_HorizontalPodAutoscaler,
// ValidateHorizontalPodAutoscaler (horizontalpodautoscalers-validation.ts) and
// printHorizontalPodAutoscaler's columns.
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { validateHpaSpec } from "./horizontalpodautoscalers-validation.ts";
import type { ResourceKind } from "./types.ts";

/** autoscaling.DefaultCPUUtilization: the target when an HPA names no metric. */
export const DEFAULT_CPU_UTILIZATION = 80;

const defaultScaleUp = () => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: "Max",
  policies: [
    { type: "Pods", value: 4, periodSeconds: 15 },
    { type: "Percent", value: 100, periodSeconds: 15 },
  ],
});

// Upstream leaves the scale-down window unset here: the controller fills in its
// --horizontal-pod-autoscaler-downscale-stabilization (300 s).
const defaultScaleDown = () => ({
  selectPolicy: "Max",
  policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
});

/** copyHPAScalingRules: the user's fields over the defaults. */
function rulesWithDefaults(rules: LooseObject | undefined, defaults: LooseObject): LooseObject {
  if (!rules) return defaults;
  const out = { ...rules };
  for (const f of ["selectPolicy", "stabilizationWindowSeconds", "policies"])
    if (out[f] === undefined || out[f] === null) out[f] = defaults[f];
  if (out.stabilizationWindowSeconds === undefined) delete out.stabilizationWindowSeconds;
  return out;
}

export function defaultHpa(o: KubeObject): void {
  o.spec ??= {};
  const spec: LooseObject = o.spec;
  spec.minReplicas ??= 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0)
    spec.metrics = [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: DEFAULT_CPU_UTILIZATION } },
      },
    ];
  // Behavior is filled in only when given, as upstream: without one the controller's legacy rules apply.
  if (spec.behavior) {
    spec.behavior.scaleUp = rulesWithDefaults(spec.behavior.scaleUp, defaultScaleUp());
    spec.behavior.scaleDown = rulesWithDefaults(spec.behavior.scaleDown, defaultScaleDown());
  }
}

const percent = (n: unknown) => `${n}%`;

/** One metric as TARGETS shows it: `cpu: 12%/50%`, `memory: <unknown>/200Mi`. */
function formatMetric(spec: LooseObject, status: LooseObject | undefined): string {
  const source =
    spec.type === "Resource" ? spec.resource : spec.type === "ContainerResource" ? spec.containerResource : undefined;
  const current = status?.resource ?? status?.containerResource;
  if (source) {
    const target = source.target ?? {};
    if (target.averageValue !== undefined)
      return `${source.name}: ${current?.current?.averageValue ?? "<unknown>"}/${target.averageValue}`;
    const now = current?.current?.averageUtilization;
    const want = target.averageUtilization === undefined ? "<auto>" : percent(target.averageUtilization);
    return `${source.name}: ${now === undefined ? "<unknown>" : percent(now)}/${want}`;
  }
  const kindStatus = status?.[spec.type === "Pods" ? "pods" : spec.type === "Object" ? "object" : "external"];
  const target = spec.pods?.target ?? spec.object?.target ?? spec.external?.target;
  if (!target) return "<unknown type>";
  if (target.averageValue !== undefined) {
    const avg = `${kindStatus?.current?.averageValue ?? "<unknown>"}/${target.averageValue}`;
    return spec.type === "Pods" ? avg : `${avg} (avg)`;
  }
  return `${kindStatus?.current?.value ?? "<unknown>"}/${target.value}`;
}

/** formatHPAMetrics: the first two metrics, then how many more. */
export function formatHpaMetrics(specs: LooseObject[] | undefined, statuses: LooseObject[] | undefined): string {
  if (!specs?.length) return "<none>";
  const list = specs.map((s, i) => formatMetric(s ?? {}, statuses?.[i]));
  const shown = list.slice(0, 2).join(", ");
  return list.length > 2 ? `${shown} + ${list.length - 2} more...` : shown;
}

export const hpaColumns = [
  column(
    "Reference",
    "string",
    "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.",
    (o) => `${o.spec?.scaleTargetRef?.kind ?? ""}/${o.spec?.scaleTargetRef?.name ?? ""}`,
  ),
  column(
    "Targets",
    "string",
    "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).",
    (o) => formatHpaMetrics(o.spec?.metrics, o.status?.currentMetrics),
  ),
  column(
    "MinPods",
    "string",
    "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.",
    (o) => (o.spec?.minReplicas === undefined ? "<unset>" : String(o.spec.minReplicas)),
  ),
  column(
    "MaxPods",
    "string",
    "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.",
    (o) => Number(o.spec?.maxReplicas ?? 0),
  ),
  column(
    "Replicas",
    "string",
    "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.",
    (o) => Number(o.status?.currentReplicas ?? 0),
  ),
  ageColumn,
];

export const horizontalPodAutoscalers: ResourceKind = {
  group: "autoscaling",
  version: "v2",
  kind: "HorizontalPodAutoscaler",
  plural: "horizontalpodautoscalers",
  singular: "horizontalpodautoscaler",
  namespaced: true,
  shortNames: ["hpa"],
  categories: ["all"],
  nameRule: "subdomain",
  subresources: { status: true },
  tracksGeneration: true,
  columns: hpaColumns,
  defaults: defaultHpa,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: (o) => validateHpaSpec(o.spec ?? {}),
};
