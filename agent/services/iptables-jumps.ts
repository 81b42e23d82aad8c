// Jumps from the built-in chains into the agent's own, added once at the top and removed however often
// they were added (an agent killed between adding and recording one may have left a duplicate).
import type { Run } from "./host-services.ts";

export async function ensureJump(exec: Run, table: string, rule: string[]): Promise<void> {
  const [chain, ...spec] = rule;
  const present = await exec("iptables", ["-w", "-t", table, "-C", chain ?? "", ...spec]).then(
    () => true,
    () => false,
  );
  if (!present) await exec("iptables", ["-w", "-t", table, "-I", chain ?? "", "1", ...spec]);
}

export async function deleteJump(exec: Run, table: string, rule: string[]): Promise<void> {
  const [chain, ...spec] = rule;
  for (let i = 0; i < 10; i++) {
    const ok = await exec("iptables", ["-w", "-t", table, "-D", chain ?? "", ...spec]).then(
      () => true,
      () => false,
    );
    if (!ok) return;
  }
}

/** Empties and removes the agent's chains of a table (missing ones are fine). */
export async function removeChains(exec: Run, table: string, chains: string[]): Promise<void> {
  const ignore = () => {};
  for (const chain of chains) {
    await exec("iptables", ["-w", "-t", table, "-F", chain]).catch(ignore);
    await exec("iptables", ["-w", "-t", table, "-X", chain]).catch(ignore);
  }
}
