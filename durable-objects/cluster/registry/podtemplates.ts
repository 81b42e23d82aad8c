// core/v1 PodTemplate: a stored pod template (ValidatePodTemplate validates it as one) and
// printPodTemplate's columns.
import type { PodSpec } from "../../../kube/pod-types.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { column } from "./columns.ts";
import { defaultPodTemplate, validatePodTemplate } from "./pod-spec.ts";
import type { ResourceKind } from "./types.ts";
import { containersColumn, formatLabels, imagesColumn } from "./workload-columns.ts";

interface TemplateSpec {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: { name?: string; image?: string }[] };
}

// A PodTemplate keeps its template at the top level, not under spec.
const templateOf = (o: KubeObject) => o.template as TemplateSpec | undefined;

export const podTemplates: ResourceKind = {
  group: "",
  version: "v1",
  kind: "PodTemplate",
  plural: "podtemplates",
  singular: "podtemplate",
  namespaced: true,
  nameRule: "subdomain",
  columns: [
    containersColumn((o) => templateOf(o)?.spec, 0),
    imagesColumn((o) => templateOf(o)?.spec, 0),
    column("Pod Labels", "string", "The labels for the pod template.", (o) =>
      formatLabels(templateOf(o)?.metadata?.labels),
    ),
  ],
  defaults(o) {
    o.template = defaultPodTemplate(templateOf(o));
  },
  podTemplate: (o) => (o.template as { spec?: PodSpec } | undefined)?.spec,
  validate: (o) => validatePodTemplate(templateOf(o), "template"),
};
