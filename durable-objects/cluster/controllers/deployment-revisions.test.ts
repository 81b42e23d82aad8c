import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import {
  equalIgnoringHash,
  REVISION,
  REVISION_HISTORY,
  setNewSetAnnotations,
  templateHash,
} from "./deployment-revisions.ts";

const template = (image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: "web" }, ...extra },
  spec: { containers: [{ name: "main", image }] },
});

describe("template identity", () => {
  it("ignores the hash label, key order, nulls and empty values (kubectl undo sends creationTimestamp: null)", () => {
    const rs = template("nginx");
    rs.metadata.labels = { ...rs.metadata.labels, "pod-template-hash": "abc" } as never;
    expect(equalIgnoringHash(template("nginx", { creationTimestamp: null, annotations: {} }), rs)).toBe(true);
    expect(equalIgnoringHash(template("nginx"), template("nginx:1.28"))).toBe(false);
  });

  it("hashes with upstream's safe alphabet, differently per template and collision count", () => {
    const h = templateHash(template("nginx"));
    expect(h).toMatch(/^[bcdf4-9]{6,10}$/);
    expect(templateHash(template("nginx"))).toBe(h);
    expect(templateHash(template("nginx:1.28"))).not.toBe(h);
    expect(templateHash(template("nginx"), 1)).not.toBe(h);
  });
});

describe("revision annotations", () => {
  const d = (annotations: Record<string, string>) => ({ metadata: { annotations } }) as unknown as KubeObject;
  const rs = (annotations: Record<string, string>) => ({ metadata: { annotations } }) as unknown as KubeObject;

  it("stamps a new set's revision and copies the deployment's own annotations", () => {
    const set = rs({});
    const changed = setNewSetAnnotations(d({ "kubernetes.io/change-cause": "bump", [REVISION]: "7" }), set, 2);
    expect(changed).toBe(true);
    expect(set.metadata.annotations).toEqual({ "kubernetes.io/change-cause": "bump", [REVISION]: "2" });
  });

  it("keeps the old number in revision-history when an old set becomes new again", () => {
    const set = rs({ [REVISION]: "1" });
    setNewSetAnnotations(d({}), set, 3);
    expect(set.metadata.annotations).toMatchObject({ [REVISION]: "3", [REVISION_HISTORY]: "1" });
    setNewSetAnnotations(d({}), set, 5);
    expect(set.metadata.annotations).toMatchObject({ [REVISION]: "5", [REVISION_HISTORY]: "1,3" });
  });

  it("changes nothing when the set already has the revision", () => {
    expect(setNewSetAnnotations(d({}), rs({ [REVISION]: "4" }), 4)).toBe(false);
  });
});
