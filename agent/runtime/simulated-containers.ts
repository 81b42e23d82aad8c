// One simulated pod's app containers over time, without processes: each runs from its start until its
// ending (simulated-exit.ts) and then stays terminated, or — as the restart policy says — waits out
// upstream's crash back-off (10 s doubling to 5 min, as CrashLoopBackOff) and runs again. Pure: the
// caller passes the time and arms a timer for nextAt().
import type { Container, ContainerStatus, Pod } from "../../kube/pod-types.ts";
import { CRASH_BACKOFF_INITIAL_MS, CRASH_BACKOFF_MAX_MS } from "../backoff.ts";
import { containerEnding, type Ending, FOREVER } from "./simulated-exit.ts";

interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: string;
  finishedAt: string;
}

interface State {
  spec: Container;
  ending: Ending | typeof FOREVER;
  restartCount: number;
  /** Running since (ms), or waiting in back-off until (ms) when `terminated` is set and restarting. */
  startedAt: number;
  terminated?: Terminated;
  lastTerminated?: Terminated;
  backOffUntil?: number;
  /** Ephemeral containers run once, whatever the restart policy. */
  once?: boolean;
}

const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

function shouldRestart(pod: Pod, exitCode: number): boolean {
  const policy = pod.spec.restartPolicy ?? "Always";
  return policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
}

const backOffMs = (restarts: number) => Math.min(CRASH_BACKOFF_INITIAL_MS * 2 ** restarts, CRASH_BACKOFF_MAX_MS);

export class SimulatedContainers {
  #states: State[];
  #ephemeral: State[] = [];

  constructor(
    private pod: Pod,
    startedAt: number,
  ) {
    this.#states = pod.spec.containers.map((spec) => ({
      spec,
      ending: containerEnding(pod, spec),
      restartCount: 0,
      startedAt,
    }));
  }

  /** A newer copy of the pod (labels, annotations …); containers keep their state, new ephemeral ones start `now`. */
  update(pod: Pod, now: number): void {
    this.pod = pod;
    for (const spec of pod.spec.ephemeralContainers ?? [])
      if (!this.#ephemeral.some((s) => s.spec.name === spec.name))
        this.#ephemeral.push({ spec, ending: containerEnding(pod, spec), restartCount: 0, startedAt: now, once: true });
  }

  /** Moves every container to where it is at `now`; true when any changed. */
  advance(now: number): boolean {
    let changed = false;
    for (const s of [...this.#states, ...this.#ephemeral]) {
      for (;;) {
        if (s.backOffUntil !== undefined && now >= s.backOffUntil) {
          // Restarted: the instance that ended becomes lastState.
          s.lastTerminated = s.terminated;
          s.terminated = undefined;
          s.startedAt = s.backOffUntil;
          s.backOffUntil = undefined;
          s.restartCount++;
          changed = true;
          continue;
        }
        if (s.terminated || s.ending === FOREVER) break;
        const endAt = s.startedAt + s.ending.afterMs;
        if (now < endAt) break;
        const { exitCode } = s.ending;
        s.terminated = {
          exitCode,
          reason: exitCode === 0 ? "Completed" : "Error",
          startedAt: timestamp(s.startedAt),
          finishedAt: timestamp(endAt),
        };
        if (!s.once && shouldRestart(this.pod, exitCode)) s.backOffUntil = endAt + backOffMs(s.restartCount);
        changed = true;
      }
    }
    return changed;
  }

  /** When the next container changes state (ms), or undefined when none will by itself. */
  nextAt(): number | undefined {
    let next: number | undefined;
    for (const s of [...this.#states, ...this.#ephemeral]) {
      const at = s.backOffUntil ?? (s.terminated || s.ending === FOREVER ? undefined : s.startedAt + s.ending.afterMs);
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  statuses(): ContainerStatus[] {
    return this.#statusesOf(this.#states);
  }

  /** status.ephemeralContainerStatuses: never ready (they have no probes and serve nothing). */
  ephemeralStatuses(): ContainerStatus[] {
    return this.#statusesOf(this.#ephemeral).map(({ started: _s, ...s }) => ({ ...s, ready: false }));
  }

  #statusesOf(states: State[]): ContainerStatus[] {
    const uid = this.pod.metadata.uid;
    return states.map((s) => {
      const base = {
        name: s.spec.name,
        image: s.spec.image ?? "",
        imageID: "",
        containerID: `simulated://${uid}-${s.spec.name}${s.restartCount ? `-${s.restartCount}` : ""}`,
        restartCount: s.restartCount,
        lastState: s.lastTerminated ? { terminated: s.lastTerminated } : {},
      };
      if (s.terminated && s.backOffUntil !== undefined)
        return {
          ...base,
          state: {
            waiting: {
              reason: "CrashLoopBackOff",
              message: `back-off ${Math.round((s.backOffUntil - Date.parse(s.terminated.finishedAt)) / 1000)}s restarting failed container=${s.spec.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${uid})`,
            },
          },
          lastState: { terminated: s.terminated },
          ready: false,
          started: false,
        };
      if (s.terminated) return { ...base, state: { terminated: s.terminated }, ready: false, started: false };
      return { ...base, state: { running: { startedAt: timestamp(s.startedAt) } }, ready: true, started: true };
    });
  }
}
