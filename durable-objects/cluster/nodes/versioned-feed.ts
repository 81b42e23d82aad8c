// Data every agent of a kind holds a version of (cluster DNS, NetworkPolicies): which nodes want it and which
// version each holds, a stale agent answered at once, and a burst of changes (an applied manifest, a
// namespace deleted) waking each stale agent once, with all of it.
export interface VersionedSource<T> {
  readonly version: string;
  forAgent(heldVersion: string | undefined): T | undefined;
}

const WAKE_COALESCE_MS = 200;

export class VersionedFeed<T> {
  /** Nodes whose agent wants the data (said so in its last sync) → the version it holds. */
  #held = new Map<string, string | undefined>();
  #timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly source: VersionedSource<T>,
    private readonly wake: (node: string) => void,
  ) {}

  /**
   * Notes what the node's sync said; true when the agent holds older data (the sync is then answered at once
   * rather than held for the long-poll).
   */
  note(node: string, wants: boolean, heldVersion: string | undefined): boolean {
    if (!wants) {
      this.#held.delete(node);
      return false;
    }
    this.#held.set(node, heldVersion);
    return this.source.forAgent(heldVersion) !== undefined;
  }

  forAgent(heldVersion: string | undefined): T | undefined {
    return this.source.forAgent(heldVersion);
  }

  /** The source's version moved: wake the agents holding another. */
  changed(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      for (const [node, held] of this.#held) if (held !== this.source.version) this.wake(node);
    }, WAKE_COALESCE_MS);
  }
}
