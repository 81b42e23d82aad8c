// The layering of durable-objects/cluster (DESIGN: "Kinds are runtime data"). api/ is the HTTP face
// (routing, negotiation, responses, watch streams); every other part of the object — controllers,
// nodes, the scheduler, admission, the write path in writes/ — reaches the cluster through writes/
// and context.ts, never through api/. Only object.ts, which mounts the router, imports it. Tests are
// left out: driving the HTTP face is what some of them are for.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CLUSTER = fileURLToPath(new URL("../durable-objects/cluster", import.meta.url));
const API = join(CLUSTER, "api");
const MOUNTS_THE_ROUTER = new Set(["object.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === API ? [] : sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The relative module specifiers of a file: static imports, re-exports and dynamic imports. */
function specifiers(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm);
  return [...found].map((m) => m[1]);
}

function apiImports(file: string): string[] {
  return specifiers(readFileSync(file, "utf8"))
    .filter((spec) => {
      const target = resolve(dirname(file), spec);
      return target === API || target.startsWith(`${API}/`);
    })
    .map((spec) => `${relative(CLUSTER, file)} imports ${spec}`);
}

describe("the HTTP face boundary", () => {
  it("finds every form of import", () => {
    const text = [
      'import { a } from "../api/create.ts";',
      "import {\n  b,\n} from '../api/x.ts';",
      'export { c } from "./y.ts";',
      'const d = await import("../api/z.ts");',
      'import "./side-effect.ts";',
      'import e from "hono";',
    ].join("\n");
    expect(specifiers(text)).toEqual(["../api/create.ts", "../api/x.ts", "./y.ts", "../api/z.ts", "./side-effect.ts"]);
  });

  it("scans the parts that call the write path", () => {
    const folders = new Set(sources(CLUSTER).map((f) => relative(CLUSTER, f).split("/")[0]));
    for (const part of ["controllers", "nodes", "scheduler", "admission", "auth", "crd", "tunnel", "writes"])
      expect(folders).toContain(part);
    expect(folders).not.toContain("api");
  });

  it("nothing outside api/ imports api/ but the object that mounts it", () => {
    const offending = sources(CLUSTER)
      .filter((f) => !MOUNTS_THE_ROUTER.has(relative(CLUSTER, f)))
      .flatMap(apiImports);
    expect(offending).toEqual([]);
  });

  it("object.ts imports only the router", () => {
    expect(apiImports(join(CLUSTER, "object.ts"))).toEqual(["object.ts imports ./api/router.ts"]);
  });
});
