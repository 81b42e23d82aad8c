// The host side of cluster IPs, node ports and the pod relay: the agent's Service interface (a dummy
// interface as kube-proxy's IPVS mode has kube-ipvs0; a port-less bridge where the kernel has no dummy
// driver) holding the cluster IPs, and the agent's nat chains (host-rules.ts). Needs root, iproute2 and
// iptables: checkHostNetworking() says in one line what is missing, and the agent then keeps the gateway
// listeners alone. Everything here is named after the agent, rewritten whole on each change (so a
// restarted agent takes over what it left), and removed by cleanup() when the node leaves the cluster.
import { execFile } from "node:child_process";
import { chainNames, type HostRulesInput, jumpRules, restoreText, serviceAddresses } from "./host-rules.ts";
import { deleteJump, ensureJump, removeChains } from "./iptables-jumps.ts";

export type Run = (command: string, args: string[], input?: string) => Promise<string>;

export const run: Run = (command, args, input) =>
  new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")}: ${(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });

/** Undefined when the agent can route cluster IPs on this host; else why not, in a few words. */
export async function checkHostNetworking(exec: Run = run): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "the agent does not run as root";
  try {
    await exec("ip", ["-V"]);
  } catch {
    return "iproute2 (ip) is not installed";
  }
  try {
    await exec("iptables", ["-w", "-t", "nat", "-S", "OUTPUT"]);
  } catch (error) {
    return `iptables' nat table is not usable (${(error as Error).message})`;
  }
  return undefined;
}

export class HostServices {
  #last = "";
  #jumpsFor = "";
  #addresses = new Set<string>();
  #interfaceUp = false;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    /** The Service interface's name (fls<id>). */
    readonly iface: string,
    private readonly exec: Run = run,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Brings the interface's addresses and the nat chains to `input`; nothing runs when nothing changed. */
  apply(input: HostRulesInput): Promise<void> {
    const job = async () => {
      const text = restoreText(input);
      const addresses = serviceAddresses(input.services);
      const key = `${input.bridge}\n${text}\n${addresses.join(",")}`;
      if (key === this.#last) return;
      await this.#ensureInterface();
      await this.#syncAddresses(addresses);
      await this.exec("iptables-restore", ["-w", "--noflush"], text);
      if (this.#jumpsFor !== input.bridge) await this.#ensureJumps(input.bridge);
      this.#last = key;
    };
    this.#queue = this.#queue.then(job, job);
    return this.#queue;
  }

  /** Removes the interface, the jumps and the chains (the node left the cluster, or a test is done). */
  cleanup(bridge: string): Promise<void> {
    const job = async () => {
      for (const rule of jumpRules(this.id, bridge)) await deleteJump(this.exec, "nat", rule);
      await removeChains(this.exec, "nat", Object.values(chainNames(this.id)));
      await this.exec("ip", ["link", "del", this.iface]).catch(() => {});
      this.#last = "";
      this.#jumpsFor = "";
      this.#addresses.clear();
      this.#interfaceUp = false;
    };
    this.#queue = this.#queue.then(job, job);
    return this.#queue;
  }

  async #ensureInterface(): Promise<void> {
    if (this.#interfaceUp) return;
    const exists = await this.exec("ip", ["-o", "link", "show", this.iface]).then(
      () => true,
      () => false,
    );
    if (!exists)
      await this.exec("ip", ["link", "add", this.iface, "type", "dummy"]).catch(async () => {
        // No dummy driver in this kernel: a bridge without ports holds local addresses just as well.
        await this.exec("ip", ["link", "add", this.iface, "type", "bridge"]);
      });
    await this.exec("ip", ["link", "set", this.iface, "up"]);
    const shown = await this.exec("ip", ["-4", "-o", "addr", "show", "dev", this.iface]);
    this.#addresses = new Set([...shown.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\/32/g)].map((m) => m[1] ?? ""));
    this.#interfaceUp = true;
  }

  async #syncAddresses(wanted: string[]): Promise<void> {
    const want = new Set(wanted);
    for (const ip of want)
      if (!this.#addresses.has(ip)) {
        await this.exec("ip", ["addr", "add", `${ip}/32`, "dev", this.iface]).catch((e: Error) => {
          if (!/exists/i.test(e.message)) throw e;
        });
        this.#addresses.add(ip);
      }
    for (const ip of [...this.#addresses])
      if (!want.has(ip)) {
        await this.exec("ip", ["addr", "del", `${ip}/32`, "dev", this.iface]).catch(() => {});
        this.#addresses.delete(ip);
      }
  }

  /** Jumps for this bridge (a bridge from before, e.g. the default network's, loses its jumps). */
  async #ensureJumps(bridge: string): Promise<void> {
    if (this.#jumpsFor) for (const rule of jumpRules(this.id, this.#jumpsFor)) await deleteJump(this.exec, "nat", rule);
    for (const rule of jumpRules(this.id, bridge)) await ensureJump(this.exec, "nat", rule);
    this.#jumpsFor = bridge;
    this.log(`cluster IPs: routed on ${this.iface}, nat chains ${Object.values(chainNames(this.id)).join(", ")}`);
  }
}
