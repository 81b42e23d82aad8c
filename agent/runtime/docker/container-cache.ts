// The node's containers as last inspected. Podman 4.3's list call grows superlinearly with the number of
// containers (seconds at a few hundred), so it runs only at start and as a periodic safety net; in
// between, the events stream marks containers dirty, containers the agent creates are tracked at once,
// and only those are inspected again (cheap).
import type Docker from "dockerode";
import { identityOf, LABEL_NODE } from "./labels.ts";

const isNotFound = (error: unknown) => (error as { statusCode?: number }).statusCode === 404;

export class ContainerCache {
  #infos = new Map<string, Docker.ContainerInspectInfo>();
  #dirty = new Set<string>();
  #lastFullList = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly docker: Docker,
    private readonly nodeName: string,
    private readonly fullListEveryMs = 30_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  markDirty(id: string): void {
    this.#dirty.add(id);
  }

  /** Inspects one container into the cache (or drops it when it is gone). */
  async track(id: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      const info = await this.docker.getContainer(id).inspect();
      if (identityOf(info.Config.Labels, this.nodeName)) this.#infos.set(id, info);
      return info;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.#infos.delete(id);
      return undefined;
    }
  }

  /** Brings the cache up to date: dirty containers, or everything when a full list is due. */
  async refresh(): Promise<void> {
    if (this.now() - this.#lastFullList >= this.fullListEveryMs) return this.#fullList();
    const dirty = [...this.#dirty];
    this.#dirty.clear();
    for (const id of dirty) await this.track(id);
  }

  async #fullList(): Promise<void> {
    const summaries = await this.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL_NODE}=${this.nodeName}`] },
    });
    this.#lastFullList = this.now();
    this.#dirty.clear();
    const seen = new Set<string>();
    for (const summary of summaries) {
      seen.add(summary.Id);
      const cached = this.#infos.get(summary.Id);
      if (!cached || cached.State.Status !== summary.State) await this.track(summary.Id);
    }
    for (const id of this.#infos.keys()) if (!seen.has(id)) this.#infos.delete(id);
  }

  byPod(uid: string): Docker.ContainerInspectInfo[] {
    return [...this.#infos.values()].filter((info) => identityOf(info.Config.Labels, this.nodeName)?.podUID === uid);
  }

  /** The pod's containers inspected now. */
  async freshByPod(uid: string): Promise<Docker.ContainerInspectInfo[]> {
    const out: Docker.ContainerInspectInfo[] = [];
    for (const info of this.byPod(uid)) {
      const fresh = await this.track(info.Id);
      if (fresh) out.push(fresh);
    }
    return out;
  }

  get size(): number {
    return this.#infos.size;
  }
}

/** Container ids named by a chunk of the events stream (newline-delimited JSON, possibly split). */
export class EventLines {
  #buffer = "";

  push(chunk: Buffer | string): string[] {
    this.#buffer += chunk.toString();
    const lines = this.#buffer.split("\n");
    this.#buffer = lines.pop() ?? "";
    const ids: string[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const event = JSON.parse(line) as { id?: string; Actor?: { ID?: string } };
        const id = event.Actor?.ID ?? event.id;
        if (id) ids.push(id);
      } catch {
        // Not an event line: ignore.
      }
    }
    return ids;
  }
}
