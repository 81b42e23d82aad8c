// The agent's state directory: its node credential (mode 0600) and the pods it was last given, so a
// restarted agent acts as the same node and keeps its pods running even before the cluster answers.
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { PodAssignment } from "../kube/agent-protocol.ts";

export interface AgentState {
  server: string;
  nodeName: string;
  nodeCredential: string;
  heartbeatSeconds: number;
  joinedAt: string;
}

const CREDENTIAL_FILE = "node.json";
const ASSIGNMENTS_DIR = "assignments";

export function defaultStateDir(nodeName: string): string {
  return join(homedir(), ".flotilla", "agent", nodeName);
}

/** Where pod volumes live: <stateDir>/pods/<uid>. */
export const podsDir = (stateDir: string) => join(stateDir, "pods");
/** Where the built-in provisioner's volumes of this node live (reported to the cluster at join). */
export const volumesDir = (stateDir: string) => join(stateDir, "volumes");

/** Writes a file readable only by its owner, atomically (a crash never leaves half a credential). */
async function writePrivate(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

export async function ensureStateDir(dir: string): Promise<void> {
  await mkdir(join(dir, ASSIGNMENTS_DIR), { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

export async function loadState(dir: string): Promise<AgentState | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, CREDENTIAL_FILE), "utf8")) as AgentState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function saveState(dir: string, state: AgentState): Promise<void> {
  await ensureStateDir(dir);
  await writePrivate(join(dir, CREDENTIAL_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Pod assignments (they carry secrets, hence 0600 like the credential). */
export class AssignmentStore {
  constructor(readonly dir: string) {}

  #path(uid: string): string {
    return join(this.dir, ASSIGNMENTS_DIR, `${uid}.json`);
  }

  async save(assignment: PodAssignment): Promise<void> {
    await writePrivate(this.#path(assignment.pod.metadata.uid ?? ""), JSON.stringify(assignment));
  }

  async remove(uid: string): Promise<void> {
    await rm(this.#path(uid), { force: true });
  }

  async loadAll(): Promise<PodAssignment[]> {
    const names = await readdir(join(this.dir, ASSIGNMENTS_DIR)).catch(() => [] as string[]);
    const out: PodAssignment[] = [];
    for (const name of names.filter((n) => n.endsWith(".json"))) {
      try {
        out.push(JSON.parse(await readFile(join(this.dir, ASSIGNMENTS_DIR, name), "utf8")) as PodAssignment);
      } catch {
        // A torn or foreign file: the next sync brings the pod again if it still exists.
      }
    }
    return out;
  }
}
