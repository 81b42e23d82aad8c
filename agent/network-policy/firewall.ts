// The host side of NetworkPolicy enforcement: the agent's filter chains (firewall-rules.ts) written whole on
// each change with iptables-restore, and their jumps from FORWARD. Bridged pod-to-pod frames reach iptables
// only with br_netfilter's bridge-nf-call-iptables on: checkPolicyFirewall() says in a few words why the
// host cannot filter (no root, no iptables, the setting off and not settable), and the agent then says so.
import { readFile, writeFile } from "node:fs/promises";
import { type Run, run } from "../services/host-services.ts";
import { deleteJump, ensureJump, removeChains } from "../services/iptables-jumps.ts";
import { firewallText, type LocalPodRules, policyChains, policyJumps } from "./firewall-rules.ts";

export const BRIDGE_NF_CALL_IPTABLES = "/proc/sys/net/bridge/bridge-nf-call-iptables";

/** Undefined when this host can filter pod traffic for the agent; else why not. */
export async function checkPolicyFirewall(
  exec: Run = run,
  setting = BRIDGE_NF_CALL_IPTABLES,
): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "the agent does not run as root";
  try {
    await exec("iptables", ["-w", "-t", "filter", "-S", "FORWARD"]);
  } catch (error) {
    return `iptables' filter table is not usable (${(error as Error).message})`;
  }
  const on = async () => (await readFile(setting, "utf8").catch(() => "")).trim() === "1";
  if (await on()) return undefined;
  // The kernel module may just not be loaded, or the setting off: both are ours to fix as root.
  await exec("modprobe", ["br_netfilter"]).catch(() => {});
  await writeFile(setting, "1\n").catch(() => {});
  return (await on()) ? undefined : `bridged traffic bypasses iptables (${setting} is not 1 and cannot be set)`;
}

export class PolicyFirewall {
  #last = "";
  #jumpsFor = "";
  #queue: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    private readonly exec: Run = run,
  ) {}

  /** Writes the chains for these local pods and the jumps for this bridge; nothing runs when nothing changed. */
  apply(bridge: string, pods: LocalPodRules[]): Promise<void> {
    const job = async () => {
      const text = firewallText(this.id, pods);
      if (text === this.#last && bridge === this.#jumpsFor) return;
      await this.exec("iptables-restore", ["-w", "--noflush"], text);
      if (this.#jumpsFor !== bridge) {
        if (this.#jumpsFor)
          for (const rule of policyJumps(this.id, this.#jumpsFor)) await deleteJump(this.exec, "filter", rule);
        for (const rule of policyJumps(this.id, bridge)) await ensureJump(this.exec, "filter", rule);
        this.#jumpsFor = bridge;
      }
      this.#last = text;
    };
    this.#queue = this.#queue.then(job, job);
    return this.#queue;
  }

  /** Removes the jumps and the chains (the node left the cluster). */
  cleanup(bridge: string): Promise<void> {
    const job = async () => {
      for (const rule of policyJumps(this.id, bridge)) await deleteJump(this.exec, "filter", rule);
      await removeChains(this.exec, "filter", Object.values(policyChains(this.id)));
      this.#last = "";
      this.#jumpsFor = "";
    };
    this.#queue = this.#queue.then(job, job);
    return this.#queue;
  }
}
