// A CRD as the tests use it (and as upstream's docs' CronTab example): two versions, printer
// columns, status and scale subresources, defaults and an enum.
export function widgetCrd(overrides: Record<string, unknown> = {}) {
  const schema = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        required: ["image"],
        properties: {
          image: { type: "string", pattern: "^[a-z0-9./:-]+$" },
          size: { type: "string", enum: ["small", "large"], default: "small" },
          replicas: { type: "integer", minimum: 0, default: 1 },
          selector: { type: "string" },
          tags: { type: "array", maxItems: 3, items: { type: "string" } },
          extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          port: { "x-kubernetes-int-or-string": true },
        },
      },
      status: { type: "object", properties: { replicas: { type: "integer" }, phase: { type: "string" } } },
    },
  };
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    schema: { openAPIV3Schema: schema },
    subresources: {
      status: {},
      scale: {
        specReplicasPath: ".spec.replicas",
        statusReplicasPath: ".status.replicas",
        labelSelectorPath: ".status.selector",
      },
    },
    additionalPrinterColumns: [
      { name: "Size", type: "string", jsonPath: ".spec.size" },
      { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
      { name: "Image", type: "string", jsonPath: ".spec.image", priority: 1 },
      { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    ],
  });
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"], categories: ["all"] },
      scope: "Namespaced",
      versions: [version("v1", true), { ...version("v2", false), deprecated: true }],
    },
    ...overrides,
  };
}
