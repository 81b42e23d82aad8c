import { describe, expect, it } from "vitest";
import { type ApiResource, groupVersionBase, manifestPath, manifestProblem, parseManifests } from "./apply.ts";

const apps: ApiResource[] = [
  { name: "deployments", kind: "Deployment", namespaced: true },
  { name: "deployments/scale", kind: "Scale", namespaced: true },
];
const core: ApiResource[] = [
  { name: "namespaces", kind: "Namespace", namespaced: false },
  { name: "pods", kind: "Pod", namespaced: true },
];

describe("groupVersionBase", () => {
  it("core vs named groups", () => {
    expect(groupVersionBase("v1")).toBe("/api/v1");
    expect(groupVersionBase("apps/v1")).toBe("/apis/apps/v1");
  });
});

describe("manifestPath", () => {
  const cases: { doc: object; resources: ApiResource[]; want: string }[] = [
    {
      doc: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } },
      resources: apps,
      want: "/apis/apps/v1/namespaces/default/deployments/web",
    },
    {
      doc: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "team" } },
      resources: core,
      want: "/api/v1/namespaces/team/pods/p",
    },
    {
      doc: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } },
      resources: core,
      want: "/api/v1/namespaces/team",
    },
  ];
  for (const { doc, resources, want } of cases) it(want, () => expect(manifestPath(doc, resources)).toBe(want));
  it("names an unknown kind as kubectl does", () => {
    expect(() => manifestPath({ apiVersion: "apps/v1", kind: "Scale", metadata: { name: "x" } }, apps)).toThrow(
      'no matches for kind "Scale" in version "apps/v1"',
    );
  });
});

describe("manifestProblem", () => {
  const cases: [object, string | undefined][] = [
    [{ kind: "Pod", metadata: { name: "p" } }, "apiVersion not set"],
    [{ apiVersion: "v1", metadata: { name: "p" } }, "kind not set"],
    [{ apiVersion: "v1", kind: "Pod", metadata: {} }, "metadata.name not set"],
    [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }, undefined],
  ];
  for (const [doc, want] of cases) it(String(want), () => expect(manifestProblem(doc)).toBe(want));
});

describe("parseManifests", () => {
  it("reads every document and skips empty ones", async () => {
    const docs = await parseManifests("apiVersion: v1\nkind: Pod\n---\n---\napiVersion: v1\nkind: Service\n");
    expect(docs.map((d) => d.kind)).toEqual(["Pod", "Service"]);
  });
  it("reports bad YAML and empty input", async () => {
    await expect(parseManifests("a: [1, 2")).rejects.toThrow(/error parsing YAML/);
    await expect(parseManifests("# nothing\n")).rejects.toThrow("no objects passed to apply");
    await expect(parseManifests("- 1\n")).rejects.toThrow("each YAML document must be an object");
  });
});
