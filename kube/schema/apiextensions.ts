// apiextensions.k8s.io/v1 CustomResourceDefinition. A version's openAPIV3Schema is a JSONSchemaProps
// tree (kube/schema/json-schema.ts), checked by registry/crd-validation.ts; here it is kept whole.
import {
  array,
  boolean,
  type Definitions,
  enumOf,
  integer,
  kindObject,
  object,
  preserveUnknown,
  ref,
  string,
  time,
} from "./dsl.ts";

const ext = (t: string) => `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.${t}`;
const names = (description: string) => ref(ext("CustomResourceDefinitionNames"), description);

export const apiextensionsDefinitions: Definitions = {
  [ext("CustomResourceDefinition")]: kindObject(
    { group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition" },
    "A resource kind the API serves at /apis/<group>/<version>/.../<plural>, defined at run time.",
    {
      spec: ref(ext("CustomResourceDefinitionSpec"), "The kind's group, names, scope and versions."),
      status: ref(ext("CustomResourceDefinitionStatus"), "Whether the names were accepted and the kind is served."),
    },
  ),
  [ext("CustomResourceDefinitionSpec")]: object(
    {
      group: string("The API group of the defined resources (/apis/<group>/...); must match the name's suffix."),
      names: names("The resource and kind names."),
      scope: enumOf(["Cluster", "Namespaced"], "Whether the resources are cluster-scoped or namespaced."),
      versions: array(ref(ext("CustomResourceDefinitionVersion")), "The served versions; exactly one is stored."),
      conversion: object({ strategy: enumOf(["None", "Webhook"], "How versions convert.") }, "Version conversion."),
      preserveUnknownFields: boolean("Deprecated: keep fields the schema does not specify."),
    },
    "The desired state of a CustomResourceDefinition.",
    { required: ["group", "names", "scope", "versions"] },
  ),
  [ext("CustomResourceDefinitionNames")]: object(
    {
      plural: string("The plural resource name, lower case: the URL's last segment."),
      singular: string("The singular name, lower case; defaults to the kind, lower-cased."),
      shortNames: array(string(), "Short names kubectl accepts for the resource."),
      kind: string("The kind of the resources, in CamelCase."),
      listKind: string("The kind of lists of them; defaults to <kind>List."),
      categories: array(string(), "Groups the resource belongs to (`all` puts it into `kubectl get all`)."),
    },
    "The names a custom resource is served under.",
    { required: ["plural", "kind"] },
  ),
  [ext("CustomResourceDefinitionVersion")]: object(
    {
      name: string("The version name (v1, v2beta1), served at /apis/<group>/<name>."),
      served: boolean("Whether the version is served."),
      storage: boolean("Whether objects are stored in this version; exactly one version is."),
      deprecated: boolean("Whether requests to this version get a deprecation warning."),
      deprecationWarning: string("The warning sent instead of the default one."),
      schema: object(
        {
          openAPIV3Schema: preserveUnknown("The OpenAPI v3 schema of the version: validation, pruning and defaulting."),
        },
        "The version's schema.",
      ),
      subresources: object(
        {
          status: preserveUnknown("Present to serve the status subresource."),
          scale: object(
            {
              specReplicasPath: string("JSON path of the desired replicas, under .spec."),
              statusReplicasPath: string("JSON path of the observed replicas, under .status."),
              labelSelectorPath: string("JSON path of the selector string, under .status."),
            },
            "The scale subresource.",
          ),
        },
        "The subresources served.",
      ),
      additionalPrinterColumns: array(
        object(
          {
            name: string("The column's name."),
            type: enumOf(["integer", "number", "string", "boolean", "date"], "The column's type."),
            format: string("The column's format."),
            description: string("What the column shows."),
            priority: integer("0 for every output, more for -o wide only."),
            jsonPath: string("A simple JSON path to the column's value."),
          },
          "A column of the kind's tables.",
        ),
        "Columns of `kubectl get` tables besides the name.",
      ),
    },
    "One version of a CustomResourceDefinition.",
    { required: ["name", "served", "storage"] },
  ),
  [ext("CustomResourceDefinitionStatus")]: object(
    {
      conditions: array(
        object(
          {
            type: string("NamesAccepted, Established or Terminating."),
            status: string("True, False or Unknown."),
            lastTransitionTime: time("When the status last changed."),
            reason: string("A CamelCase reason."),
            message: string("A human-readable message."),
          },
          "A condition of the CRD.",
        ),
        "The CRD's conditions.",
      ),
      acceptedNames: names("The names actually served (the spec's, once they raise no conflict)."),
      storedVersions: array(string(), "Every version objects have been stored in."),
    },
    "The observed state of a CustomResourceDefinition.",
  ),
};
