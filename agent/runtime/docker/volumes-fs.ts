// Writes planned volumes to the host. Directories that are bind-mounted are never replaced (a running
// container would keep the old one); their contents are rewritten in place instead.
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import type { VolumePlan } from "../../pod/volumes.ts";

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

async function materialize(plan: VolumePlan): Promise<void> {
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

export async function materializeVolumes(plans: VolumePlan[]): Promise<void> {
  for (const plan of plans) await materialize(plan);
}

export async function removeDir(dir: string): Promise<void> {
  if (await stat(dir).catch(() => undefined)) await rm(dir, { recursive: true, force: true });
}
