// authorization.k8s.io/v1 and authentication.k8s.io/v1 in discovery: the reviews, create only, as upstream
// lists them. Not registry kinds: nothing is stored.
const REVIEWS: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
  "authentication.k8s.io": [
    { name: "selfsubjectreviews", kind: "SelfSubjectReview", namespaced: false },
    { name: "tokenreviews", kind: "TokenReview", namespaced: false },
  ],
  "authorization.k8s.io": [
    { name: "localsubjectaccessreviews", kind: "LocalSubjectAccessReview", namespaced: true },
    { name: "selfsubjectaccessreviews", kind: "SelfSubjectAccessReview", namespaced: false },
    { name: "selfsubjectrulesreviews", kind: "SelfSubjectRulesReview", namespaced: false },
    { name: "subjectaccessreviews", kind: "SubjectAccessReview", namespaced: false },
  ],
};
const VERSION = "v1";
const VERBS = ["create"];

/** The group's entry in /apis (add kind and apiVersion for /apis/<group>), or undefined for another group. */
export function reviewApiGroup(group: string) {
  if (!Object.hasOwn(REVIEWS, group)) return undefined;
  const version = { groupVersion: `${group}/${VERSION}`, version: VERSION };
  return { name: group, versions: [version], preferredVersion: version };
}

export const reviewApiGroups = () => Object.keys(REVIEWS).map((g) => reviewApiGroup(g)!);

export function reviewResourceList(group: string, version: string) {
  if (!Object.hasOwn(REVIEWS, group) || version !== VERSION) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: `${group}/${VERSION}`,
    resources: REVIEWS[group].map((r) => ({
      name: r.name,
      singularName: r.name.replace(/s$/, ""),
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
    })),
  };
}

export const reviewAggregatedGroups = () =>
  Object.entries(REVIEWS).map(([group, resources]) => ({
    metadata: { name: group },
    versions: [
      {
        version: VERSION,
        resources: resources.map((r) => ({
          resource: r.name,
          responseKind: { group, version: VERSION, kind: r.kind },
          scope: r.namespaced ? "Namespaced" : "Cluster",
          singularResource: r.name.replace(/s$/, ""),
          verbs: VERBS,
        })),
        freshness: "Current",
      },
    ],
  }));
