// The service proxy's state in the agent's state dir: the port each Service port's listener got, and the
// services last heard of. Pods' environments name these ports, fixed at container start, so a restarted
// agent must listen on the same ones again, and can already serve them before the cluster answers.
import { readFile, rename, writeFile } from "node:fs/promises";
import type { SyncService } from "../../kube/agent-protocol.ts";

export interface ProxyState {
  /** listenerKey → host port. */
  ports: Record<string, number>;
  services: SyncService[];
}

export const SERVICE_STATE_FILE = "services.json";

/** One listener per Service port: namespace, name and the Service port number. */
export const listenerKey = (namespace: string, name: string, port: number) => `${namespace}/${name}:${port}`;

export class ProxyStateFile {
  #writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async load(): Promise<ProxyState> {
    try {
      const parsed = JSON.parse(await readFile(this.path, "utf8")) as Partial<ProxyState>;
      return { ports: parsed.ports ?? {}, services: parsed.services ?? [] };
    } catch {
      return { ports: {}, services: [] }; // none yet, or unreadable: start afresh
    }
  }

  /** Writes atomically; writes are serialized so an older state never lands after a newer one. */
  save(state: ProxyState): Promise<void> {
    const json = `${JSON.stringify(state)}\n`;
    this.#writing = this.#writing.then(async () => {
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, json, { mode: 0o600 });
      await rename(tmp, this.path);
    });
    return this.#writing;
  }
}
