// Agents' syncs taken a few per turn of the event loop instead of each in the turn its message arrived in.
// The object is one thread, and workerd hands it events in arrival order: with a thousand agents each
// keeping a sync in flight, a kubectl request used to queue behind all of them (seconds at 1,000 busy
// nodes, even for /healthz, which shares the isolate). A message now only queues its sync; the syncs
// run `perTurn` at a time, each batch behind whatever arrived meanwhile, so users' requests wait for one
// batch rather than for every node. The clock cannot pace this (it stands still while code runs), so the
// batch is counted.

export class TurnQueue {
  #jobs: (() => void)[] = [];
  #head = 0;
  #armed = false;

  constructor(
    private readonly perTurn: number,
    /** Runs `fn` in a later turn, after the events already waiting (a zero timer in workerd). */
    private readonly later: (fn: () => void) => void = (fn) => setTimeout(fn, 0),
  ) {}

  get size(): number {
    return this.#jobs.length - this.#head;
  }

  /** Resolves in the caller's turn: for a request that may run once it is its turn (an agent's HTTP call). */
  turn(): Promise<void> {
    return new Promise((resolve) => this.push(resolve));
  }

  push(job: () => void): void {
    this.#jobs.push(job);
    this.#arm();
  }

  #arm(): void {
    if (this.#armed || this.size === 0) return;
    this.#armed = true;
    this.later(() => this.#run());
  }

  #run(): void {
    this.#armed = false;
    try {
      for (let n = 0; n < this.perTurn && this.size > 0; n++) {
        const job = this.#jobs[this.#head++];
        job();
      }
    } finally {
      if (this.#head > 1024 && this.#head * 2 > this.#jobs.length) {
        this.#jobs = this.#jobs.slice(this.#head);
        this.#head = 0;
      }
      this.#arm();
    }
  }
}
