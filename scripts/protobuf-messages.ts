// Writes kube/protobuf/messages/*.ts — the decoder's message tables — from the descriptors and Go struct tags
// compiled into a kubectl build of the release the server serves (see kubectl-descriptors.ts): every
// kind in the registry, its subresources' body types (Scale, Eviction, Binding, TokenRequest) and DeleteOptions, with every
// message they reach. Run after adding a kind:
//   npx tsx scripts/protobuf-messages.ts [path/to/kubectl.1.32]
// protobuf-messages.test.ts fails when the checked-in tables differ from what this would write.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { allKinds } from "../durable-objects/cluster/registry/index.ts";
import { type MessageTable, mergeTables, parseMessages } from "../kube/protobuf/schema.ts";
import {
  type DescriptorMessage,
  type GoStructs,
  readGoStructs,
  readKubectlDescriptors,
} from "./kubectl-descriptors.ts";

/** The kubectl minor the tables follow: the release /version reports. */
export const KUBECTL_MINOR = "1.32";
const META = "k8s.io.apimachinery.pkg.apis.meta.v1";
const OUT_DIR = join(import.meta.dirname, "../kube/protobuf/messages");

/** Messages with their own JSON form, decoded in kube/protobuf/special.ts rather than from a table. */
const SPECIAL = new Set([
  "Time",
  "MicroTime",
  "IntOrString",
  "Quantity",
  "FieldsV1",
  "RawExtension",
  "Duration",
  "ExtraValue",
]);
/** Where two packages reached here share a message name, the second one's tables carry a suffix. */
const SUFFIX: Record<string, string> = {
  "k8s.io.api.autoscaling.v1": "V1",
  "k8s.io.api.events.v1": "EventsV1",
  "k8s.io.api.discovery.v1": "DiscoveryV1",
};
const SCALAR: Record<number, string> = { 3: "int64", 5: "int32", 8: "bool", 9: "string", 12: "bytes" };
/** core/v1 is split by topic: a message goes to the file of the first anchor that reaches it. */
const CORE_ANCHORS: [string, string][] = [
  ["VolumeSource", "core-volumes"],
  ["PersistentVolumeClaim", "core-volumes"],
  ["PersistentVolume", "core-volumes"],
  ["EphemeralContainer", "core-containers"],
  ["Container", "core-containers"],
  ["PodSpec", "core-pod"],
  ["PodStatus", "core-pod-status"],
  ["Node", "core-node"],
];

interface Root {
  apiVersion: string;
  kind: string;
  fullName: string;
}

/** k8s.io/api/<first label of the group, or core>/<version>: where upstream keeps each group's types. */
function packageOf(apiVersion: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return `k8s.io.api.${group === "" ? "core" : group.split(".")[0]}.${version}`;
}

/** Every kind served, and the body types of the subresources served. */
export function servedRoots(): Root[] {
  const roots: Root[] = [];
  const add = (apiVersion: string, kind: string) => {
    if (!roots.some((r) => r.apiVersion === apiVersion && r.kind === kind))
      roots.push({ apiVersion, kind, fullName: `.${packageOf(apiVersion)}.${kind}` });
  };
  for (const k of allKinds) {
    if (k.protobuf === false) continue;
    add(k.group ? `${k.group}/${k.version}` : k.version, k.kind);
    if (k.subresources?.scale) add("autoscaling/v1", "Scale");
    if (k.subresources?.eviction) add("policy/v1", "Eviction");
    if (k.subresources?.binding) add("v1", "Binding");
    if (k.subresources?.token) add("authentication.k8s.io/v1", "TokenRequest");
  }
  // The reviews: create-only bodies, answered and never stored (auth/reviews.ts).
  for (const kind of [
    "SelfSubjectAccessReview",
    "SelfSubjectRulesReview",
    "SubjectAccessReview",
    "LocalSubjectAccessReview",
  ])
    add("authorization.k8s.io/v1", kind);
  for (const kind of ["SelfSubjectReview", "TokenReview"]) add("authentication.k8s.io/v1", kind);
  return roots;
}

/** Options types client-go sends as bodies; upstream registers them in every group version. */
const OPTION_ROOTS = [`.${META}.DeleteOptions`];

function closure(all: Map<string, DescriptorMessage>, roots: string[]): DescriptorMessage[] {
  const order: DescriptorMessage[] = [];
  const seen = new Set<string>();
  const visit = (fullName: string) => {
    if (seen.has(fullName)) return;
    seen.add(fullName);
    const m = all.get(fullName);
    if (!m) throw new Error(`kubectl's descriptors have no message ${fullName}`);
    if (m.mapEntry) {
      for (const f of m.fields) if (f.type === 11) visit(f.typeName);
      return;
    }
    order.push(m);
    if (SPECIAL.has(m.name)) return;
    for (const f of m.fields) if (f.type === 11) visit(f.typeName);
  };
  for (const r of roots) visit(r);
  return order;
}

export interface Generated {
  /** File name under kube/protobuf/messages → its text (biome formats it when written). */
  files: Map<string, string>;
  /** What those files define, for comparing with the checked-in tables. */
  messages: MessageTable;
  kinds: Record<string, Record<string, string>>;
  options: Record<string, string>;
}

export function generate(all: Map<string, DescriptorMessage>, go: GoStructs): Generated {
  const roots = servedRoots();
  const reached = closure(all, [...roots.map((r) => r.fullName), ...OPTION_ROOTS]);
  const packagesOf = new Map<string, Set<string>>();
  for (const m of reached) packagesOf.set(m.name, (packagesOf.get(m.name) ?? new Set()).add(m.pkg));
  const tableName = (fullName: string) => {
    const m = all.get(fullName) as DescriptorMessage;
    const shared = (packagesOf.get(m.name)?.size ?? 0) > 1;
    return m.name + (shared ? (SUFFIX[m.pkg] ?? "") : "");
  };
  const typeOf = (f: DescriptorMessage["fields"][number]): string => {
    if (f.type !== 11) {
      const s = SCALAR[f.type];
      if (!s) throw new Error(`unsupported protobuf type ${f.type} (${f.name})`);
      return s;
    }
    const t = all.get(f.typeName) as DescriptorMessage;
    if (!t.mapEntry) return tableName(f.typeName);
    const value = t.fields[1];
    return `map<${value.type === 11 ? tableName(value.typeName) : SCALAR[value.type]}>`;
  };
  const render = (m: DescriptorMessage): string[] => {
    const goType = `${m.pkg.replace(/^k8s\.io\./, "k8s.io/").replace(/(?<=^k8s\.io\/.*)\./g, "/")}.${m.name}`;
    const tags = go.get(goType);
    if (!tags) throw new Error(`kubectl's reflection data has no struct ${goType}`);
    const lines = [tableName(m.fullName)];
    for (const f of m.fields) {
      const type = typeOf(f);
      const tag = tags.get(f.number);
      if (!tag) throw new Error(`${goType} has no Go field for protobuf field ${f.number} (${f.name})`);
      // A few protobuf names are not the JSON ones (BoundObjectReference's aPIVersion, uID): JSON is what decodes.
      const name = tag.inline ? f.name : tag.json;
      const scalar = f.type !== 11 && !f.repeated;
      let mod = "";
      if (f.repeated && !type.startsWith("map<")) mod += "[]";
      if (scalar && f.nullable) mod += "?";
      // Go's JSON writes a value field without omitempty even when zero (a nil []byte would be null).
      else if (scalar && !tag.omitempty && type !== "bytes") mod += "!";
      if (tag.inline) mod += "...";
      lines.push(`  ${f.number} ${name} ${type}${mod}`);
    }
    return lines;
  };

  // File of each message: core/v1 by anchor, meta/v1 in meta, other groups one file each.
  const fileOf = new Map<string, string>();
  for (const [anchor, file] of CORE_ANCHORS)
    for (const m of closure(all, [`.k8s.io.api.core.v1.${anchor}`]))
      if (!fileOf.has(m.fullName) && m.pkg === "k8s.io.api.core.v1") fileOf.set(m.fullName, file);
  const groupFile = (m: DescriptorMessage) => {
    if (m.pkg === META) return "meta";
    if (m.pkg === "k8s.io.api.core.v1") return fileOf.get(m.fullName) ?? "core-kinds";
    return m.pkg.split(".")[3];
  };
  const byFile = new Map<string, DescriptorMessage[]>();
  for (const m of reached) {
    if (SPECIAL.has(m.name)) continue;
    const file = groupFile(m);
    byFile.set(file, [...(byFile.get(file) ?? []), m]);
  }

  const files = new Map<string, string>();
  const messages = mergeTables(...[...byFile.values()].map((ms) => parseMessages(ms.flatMap(render).join("\n"))));
  const constName = (file: string) => `${file.toUpperCase().replaceAll("-", "_")}_MESSAGES`;
  for (const [file, ms] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const protos = [...new Set(ms.map((m) => m.pkg))].map(protoPath).join(", ");
    files.set(
      `${file}.ts`,
      [
        `// Generated by scripts/protobuf-messages.ts from the descriptors compiled into kubectl ${KUBECTL_MINOR} (upstream's`,
        `// ${protos}). Do not edit by hand. Format: see ../schema.ts.`,
        `import { parseMessages } from "../schema.ts";`,
        "",
        `export const ${constName(file)} = parseMessages(\``,
        ...ms.flatMap(render),
        "`);",
        "",
      ].join("\n"),
    );
  }

  const kinds: Record<string, Record<string, string>> = {};
  for (const r of roots) kinds[r.apiVersion] = { ...kinds[r.apiVersion], [r.kind]: tableName(r.fullName) };
  const options = Object.fromEntries(OPTION_ROOTS.map((r) => [tableName(r), tableName(r)]));
  const fileNames = [...byFile.keys()].sort();
  files.set(
    "index.ts",
    [
      "// Generated by scripts/protobuf-messages.ts: every message table, the message of each kind served (and of",
      "// each subresource body), and the options types every group version accepts. Do not edit by hand.",
      ...fileNames.map((f) => `import { ${constName(f)} } from "./${f}.ts";`),
      `import { type MessageTable, mergeTables } from "../schema.ts";`,
      "",
      "export const MESSAGES: MessageTable = mergeTables(",
      ...fileNames.map((f) => `  ${constName(f)},`),
      ");",
      "",
      "/** apiVersion → kind → message. */",
      "export const KIND_MESSAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {",
      ...Object.entries(kinds).map(([v, ks]) => `  ${JSON.stringify(v)}: ${JSON.stringify(ks)},`),
      "};",
      "",
      "/** kind → message, for the meta/v1 options types accepted under every group version served. */",
      "export const OPTION_MESSAGES: Readonly<Record<string, string>> = {",
      ...Object.entries(options).map(([k, m]) => `  ${k}: "${m}",`),
      "};",
      "",
    ].join("\n"),
  );
  return { files, messages, kinds, options };
}

function protoPath(pkg: string): string {
  return `${pkg
    .replace(/^k8s\.io\.(api|apimachinery)\./, "k8s.io/$1/")
    .replaceAll(".", "/")
    .replace("k8s/io", "k8s.io")}/generated.proto`;
}

/** The kubectl build of KUBECTL_MINOR: beside the dispatcher on PATH (kubectl.1.32), or kubectl itself. */
export function findKubectl(): string | undefined {
  try {
    const onPath = execFileSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" }).trim();
    const candidate = join(dirname(realpathSync(onPath)), `kubectl.${KUBECTL_MINOR}`);
    return existsSync(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2] ?? findKubectl();
  if (!path) throw new Error(`no kubectl.${KUBECTL_MINOR} found; pass its path`);
  const { files } = generate(readKubectlDescriptors(path), readGoStructs(path));
  mkdirSync(OUT_DIR, { recursive: true });
  const written = [...files].map(([name, text]) => {
    const target = join(OUT_DIR, name);
    writeFileSync(target, text);
    return target;
  });
  execFileSync("npx", ["biome", "format", "--write", ...written], { stdio: "inherit" });
}
