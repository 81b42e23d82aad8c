// Builds the dashboard into web/public/assets (web/public is wrangler.toml's [assets] directory and holds
// the committed page shell, so the Worker and its tests start even before a build): esbuild bundles
// web/src with Preact's JSX; the YAML parser is split into a chunk loaded on first apply.
// Run by npm start, npm test and deploy.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const webDir = path.dirname(fileURLToPath(import.meta.url));
/** Served as-is by the Worker. */
export const webPublic = path.join(webDir, "public");
const outDir = path.join(webPublic, "assets");

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface WebBuild {
  files: BuiltFile[];
  /** JavaScript a first visit loads (the entry and its static imports), gzip-compressed. */
  firstLoadJsGzipBytes: number;
}

export async function buildWeb(opts: { quiet?: boolean } = {}): Promise<WebBuild> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { app: path.join(webDir, "src/main.tsx"), "app-style": path.join(webDir, "src/styles.css") },
    outdir: outDir,
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    sourcemap: false,
    metafile: true,
    legalComments: "none",
    logLevel: opts.quiet ? "error" : "warning",
  });
  fs.renameSync(path.join(outDir, "app-style.css"), path.join(outDir, "app.css"));

  const files = listFiles(outDir).map((file) => {
    const data = fs.readFileSync(file);
    return { file: path.relative(webPublic, file), bytes: data.length, gzipBytes: gzipSync(data).length };
  });
  const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith("main.tsx"));
  const firstLoad = new Set<string>();
  if (entry) {
    firstLoad.add(path.relative(webPublic, path.resolve(entry[0])));
    for (const imp of entry[1].imports)
      if (imp.kind === "import-statement") firstLoad.add(path.relative(webPublic, path.resolve(imp.path)));
  }
  const firstLoadJsGzipBytes = files.filter((f) => firstLoad.has(f.file)).reduce((s, f) => s + f.gzipBytes, 0);
  return { files, firstLoadJsGzipBytes };
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full) : [full];
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWeb();
  for (const f of out.files) console.log(`  web/public/${f.file}  ${f.bytes} B (${f.gzipBytes} B gzip)`);
  console.log(
    `dashboard built: first load ${(out.firstLoadJsGzipBytes / 1024).toFixed(1)} KiB of JavaScript gzip-compressed`,
  );
}
