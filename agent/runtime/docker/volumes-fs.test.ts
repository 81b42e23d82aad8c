// Volume directories on a real filesystem: provisioned ones made once (their mode then the pod's), local
// ones required, missing subPaths made, and deleted volumes' directories removed, nothing else.
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectVolumes, freeFraction, makeMountSources, materializeVolumes } from "./volumes-fs.ts";

const temp = () => mkdtemp(join(tmpdir(), "volumes-fs-"));
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("volume directories", () => {
  it("makes a provisioned volume world-writable once and leaves it alone after", async () => {
    const dir = join(await temp(), "volumes", "pvc-1");
    const plan = { name: "data", hostPath: dir, readOnly: false, external: true, provisioned: true };
    await materializeVolumes([plan]);
    expect(await mode(dir)).toBe(0o777);
    await writeFile(join(dir, "kept"), "x");
    await chmod(dir, 0o700);
    await materializeVolumes([plan]);
    expect(await mode(dir)).toBe(0o700);
    expect(await readdir(dir)).toEqual(["kept"]);
  });

  it("refuses to make a provisioned volume on a nearly full disk", async () => {
    const dir = join(await temp(), "volumes", "pvc-2");
    const plan = { name: "data", hostPath: dir, readOnly: false, external: true, provisioned: true };
    const full = { freeFraction: async () => 0.05 };
    await expect(materializeVolumes([plan], full)).rejects.toThrow(
      `not provisioning ${dir}: the node's disk is nearly full (5% free, below 10%)`,
    );
    expect(existsSync(dir)).toBe(false);
    await materializeVolumes([plan], { freeFraction: async () => 0.5 });
    expect(existsSync(dir)).toBe(true);
    // An existing volume is mounted whatever the disk: its data is already there.
    await materializeVolumes([plan], full);
    // The real measure: statfs of the nearest existing directory.
    const free = await freeFraction(join(dir, "not", "yet"));
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThanOrEqual(1);
  });

  it("requires a local volume's path to exist", async () => {
    const missing = join(await temp(), "disk");
    const plan = { name: "disk", hostPath: missing, readOnly: false, external: true, mustExist: true };
    await expect(materializeVolumes([plan])).rejects.toThrow(`path "${missing}" does not exist`);
    await mkdir(missing);
    await materializeVolumes([plan]);
  });

  it("makes missing subPath directories", async () => {
    const root = await temp();
    await makeMountSources([
      { source: join(root, "a", "b"), target: "/x", readOnly: false, makeSource: true },
      { source: join(root, "c"), target: "/y", readOnly: false },
    ]);
    expect(await readdir(root)).toEqual(["a"]);
  });

  it("removes the provisioned directories no volume keeps, and nothing else", async () => {
    const root = await temp();
    for (const name of ["pvc-0a1b", "pvc-2c3d", "notes"]) await mkdir(join(root, name));
    const removed = await collectVolumes(root, [join(root, "pvc-2c3d"), "/elsewhere/pvc-0a1b"], []);
    expect(removed).toEqual([join(root, "pvc-0a1b")]);
    expect((await readdir(root)).sort()).toEqual(["notes", "pvc-2c3d"]);
    expect(await collectVolumes(join(root, "absent"), [], [])).toEqual([]);
  });

  it("leaves the directory of a volume last seen with reclaim Retain, until its policy turns Delete", async () => {
    const root = await temp();
    const [kept, dropped] = [join(root, "pvc-aa"), join(root, "pvc-bb")];
    for (const dir of [kept, dropped]) await mkdir(dir);
    expect(await collectVolumes(root, [kept, dropped], [kept])).toEqual([]);
    // Both volumes deleted: the retained one's data stays for the administrator.
    expect(await collectVolumes(root, [], [])).toEqual([dropped]);
    expect(await collectVolumes(root, [], [])).toEqual([]);
    expect(existsSync(kept)).toBe(true);
    // A volume of that name again, now with Delete, and then gone: its directory goes.
    await collectVolumes(root, [kept], []);
    expect(await collectVolumes(root, [], [])).toEqual([kept]);
    expect((await readdir(root)).sort()).toEqual([".retained.json"]);
  });
});
