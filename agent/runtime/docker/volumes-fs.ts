// Writes planned volumes to the host. Directories that are bind-mounted are never replaced (a running
// container would keep the old one); their contents are rewritten in place instead.
import { chmod, mkdir, readdir, readFile, rename, rm, stat, statfs, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { DISK_PRESSURE_FRACTION } from "../../node-status.ts";
import { type BindMount, VolumeSetupError, type VolumePlan } from "../../pod/volumes.ts";

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

const exists = async (path: string) => Boolean(await stat(path).catch(() => undefined));

/** The free fraction of the filesystem holding `path` (its nearest existing ancestor). */
export async function freeFraction(path: string): Promise<number> {
  for (let p = path; ; p = dirname(p)) {
    const fs = await statfs(p).catch(() => undefined);
    if (fs) return fs.blocks > 0 ? fs.bavail / fs.blocks : 1;
    if (dirname(p) === p) return 1;
  }
}

export interface MaterializeOptions {
  /** How full the disk is where a volume would be made (statfs unless a test says otherwise). */
  freeFraction?(path: string): Promise<number>;
}

async function materialize(plan: VolumePlan, opts: MaterializeOptions): Promise<void> {
  if (plan.mustExist) {
    if (!(await exists(plan.hostPath))) throw new VolumeSetupError(plan.name, `path "${plan.hostPath}" does not exist`);
    return;
  }
  // Once made, a provisioned volume is the pod's: a database may have narrowed its mode since.
  if (plan.provisioned) {
    if (await exists(plan.hostPath)) return;
    // A new volume on a nearly full disk would only fill it: the node refuses, as it reports DiskPressure.
    const free = await (opts.freeFraction ?? freeFraction)(plan.hostPath);
    if (free < DISK_PRESSURE_FRACTION)
      throw new VolumeSetupError(
        plan.name,
        `not provisioning ${plan.hostPath}: the node's disk is nearly full (${Math.floor(free * 100)}% free, below ${DISK_PRESSURE_FRACTION * 100}%)`,
      );
    await mkdir(plan.hostPath, { recursive: true, mode: 0o777 });
    await chmod(plan.hostPath, 0o777);
    return;
  }
  if (plan.external) {
    if (plan.createHostPath === "Directory") await mkdir(plan.hostPath, { recursive: true });
    if (plan.createHostPath === "File") {
      await mkdir(dirname(plan.hostPath), { recursive: true });
      await writeFile(plan.hostPath, "", { flag: "a" });
    }
    return;
  }
  // emptyDir is world-writable, as the kubelet makes it, so containers running as any user can use it.
  await mkdir(plan.hostPath, { recursive: true, mode: 0o777 });
  if (!plan.files) {
    await chmod(plan.hostPath, 0o777);
    return;
  }
  const wanted = new Set(plan.files.map((f) => join(plan.hostPath, f.path)));
  for (const existing of await listFiles(plan.hostPath)) if (!wanted.has(existing)) await rm(existing, { force: true });
  for (const file of plan.files) {
    const path = join(plan.hostPath, file.path);
    if (relative(plan.hostPath, path).startsWith("..")) continue;
    await mkdir(dirname(path), { recursive: true });
    // Written beside and renamed over: a container reading the file while it is replaced (a refreshed
    // token, an updated config map) sees the old content or the new, never a half-written file.
    const temp = join(dirname(path), `.${basename(path)}.flotilla-new`);
    await writeFile(temp, file.content);
    await chmod(temp, file.mode);
    await rename(temp, path);
  }
}

export async function materializeVolumes(plans: VolumePlan[], opts: MaterializeOptions = {}): Promise<void> {
  for (const plan of plans) await materialize(plan, opts);
}

/** Missing subPath directories of writable volumes, made before the container that mounts them. */
export async function makeMountSources(mounts: readonly BindMount[]): Promise<void> {
  for (const m of mounts) if (m.makeSource && !(await exists(m.source))) await mkdir(m.source, { recursive: true });
}

/** The provisioner's prefix: only directories named so under the volume dir are ever removed. */
const PROVISIONED = /^pvc-[0-9a-f-]+$/;

/** The directories last seen with reclaim Retain, kept under the volume dir (a name no volume has). */
const RETAINED_FILE = ".retained.json";

/**
 * Removes the provisioned volume directories under `dir` whose volumes are gone (perhaps deleted while the node
 * was away): those not in `live`, unless their volume was last seen with reclaim Retain (`retained` ⊆ `live`),
 * whose storage upstream leaves to the administrator. Returns the directories removed.
 */
export async function collectVolumes(
  dir: string,
  live: readonly string[],
  retained: readonly string[],
): Promise<string[]> {
  const file = join(dir, RETAINED_FILE);
  const before = await readFile(file, "utf8").catch(() => "[]");
  const kept = new Set<string>(JSON.parse(before) as string[]);
  const alive = new Set(live.map((p) => join(p)));
  const retain = new Set(retained.map((p) => join(p)));
  for (const path of alive)
    if (retain.has(path)) kept.add(path);
    else kept.delete(path);
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    if (!PROVISIONED.test(name) || alive.has(path) || kept.has(path)) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  for (const path of kept) if (!(await exists(path))) kept.delete(path);
  const after = JSON.stringify([...kept].sort());
  if (after !== before && (await exists(dir))) await writeFile(file, after);
  return removed;
}

export async function removeDir(dir: string): Promise<void> {
  if (await stat(dir).catch(() => undefined)) await rm(dir, { recursive: true, force: true });
}
