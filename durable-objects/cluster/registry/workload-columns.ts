// Table columns shared by the workload kinds (the CONTAINERS / IMAGES / SELECTOR wide columns and
// the integer status counters of upstream's printers.go).
import {
  formatLabelSelector,
  labelSelectorString,
  labelsToString,
  requirementsFromLabelSelector,
} from "../../../kube/labels.ts";
import type { KubeObject, LabelSelector } from "../../../kube/types.ts";
import { column, wide } from "./columns.ts";
import type { Column } from "./types.ts";

interface Container {
  name?: string;
  image?: string;
}

/** layoutContainerCells: names and images, comma-joined, in container order. */
export function containerCells(containers: Container[] | undefined): { names: string; images: string } {
  const list = containers ?? [];
  return { names: list.map((c) => c.name ?? "").join(","), images: list.map((c) => c.image ?? "").join(",") };
}

type PodSpecOf = (o: KubeObject) => { containers?: Container[] } | undefined;

/** The pod spec of a kind with `spec.template`. */
export const templateSpec: PodSpecOf = (o) => o.spec?.template?.spec;

/** The CONTAINERS column; `-o wide` only unless `priority` is 0 (PodTemplate shows it always). */
export function containersColumn(spec: PodSpecOf = templateSpec, priority = 1): Column {
  return column(
    "Containers",
    "string",
    "Names of each container in the template.",
    (o) => containerCells(spec(o)?.containers).names,
    { priority },
  );
}

export function imagesColumn(spec: PodSpecOf = templateSpec, priority = 1): Column {
  return column(
    "Images",
    "string",
    "Images referenced by each container in the template.",
    (o) => containerCells(spec(o)?.containers).images,
    { priority },
  );
}

/** metav1.FormatLabelSelector of a selector, as the SELECTOR wide column shows it. */
export function selectorColumn(description: string, selector: (o: KubeObject) => LabelSelector | undefined): Column {
  return wide("Selector", "string", description, (o) => formatLabelSelector(selector(o)));
}

/** labels.FormatLabels: "<none>" for an empty map. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  return labelsToString(labels) || "<none>";
}

/** An integer cell read from status (Go's zero value when absent). */
export function statusCount(name: string, field: string, description: string): Column {
  return column(name, "integer", description, (o) => Number(o.status?.[field] ?? 0));
}

/** A "ready/desired" string cell (Deployments and StatefulSets). */
export const readyOfDesired = (o: KubeObject): string =>
  `${Number(o.status?.readyReplicas ?? 0)}/${Number(o.spec?.replicas ?? 0)}`;

/**
 * LabelSelectorAsSelector(sel).String(): what Scale.status.selector and the Deployment SELECTOR
 * column carry ("" when nothing is required, unlike FormatLabelSelector's "<none>").
 */
export function selectorString(sel: LabelSelector | undefined): string {
  try {
    return labelSelectorString(requirementsFromLabelSelector(sel));
  } catch {
    return "<invalid>";
  }
}
