#!/usr/bin/env node
// The `flotilla` command: TypeScript run through tsx's loader (a devDependency of this package).
import { register } from "tsx/esm/api";

register();
const { run } = await import("./main.ts");
process.exitCode = await run(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  env: process.env,
  stdin: process.stdin,
});
