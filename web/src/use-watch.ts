// useWatch: a live collection fed by list + watch (never polling), resuming from the last resource
// version when a watch ends and relisting when the server says the version is too old (410).
import { useEffect, useState } from "preact/hooks";
import type { KubeObject } from "../../kube/types.ts";
import { errorText, RequestError } from "./errors.ts";
import type { ClusterApi } from "./kube-client.ts";
import { applyWatchEvent, fromList } from "./watch.ts";

export interface WatchState {
  items: Map<string, KubeObject>;
  /** Listed once and watching: the view is current. */
  live: boolean;
  error?: string;
  /** The HTTP status of the last failure, e.g. 401 when the cluster token expired or was revoked. */
  errorStatus?: number;
}

const RETRY_MS = 2000;

export function useWatch(api: ClusterApi, path: string): WatchState {
  const [state, setState] = useState<WatchState>({ items: new Map(), live: false });
  useEffect(() => {
    const abort = new AbortController();
    runWatch(api, path, abort.signal, setState);
    return () => abort.abort();
  }, [api, path]);
  return state;
}

async function runWatch(
  api: ClusterApi,
  path: string,
  signal: AbortSignal,
  setState: (update: (s: WatchState) => WatchState) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const list = await api.list(path, signal);
      let items = fromList(list.items);
      let rv = list.metadata.resourceVersion ?? "0";
      setState(() => ({ items, live: true }));
      let relist = false;
      while (!relist && !signal.aborted) {
        // A watch that ends (server timeout) resumes from the last version seen.
        await api.watch(
          path,
          rv,
          (event) => {
            const out = applyWatchEvent(items, event);
            if (out.kind === "relist") relist = true;
            else rv = out.resourceVersion || rv;
            if (out.kind === "changed") {
              items = out.items;
              setState(() => ({ items, live: true }));
            }
          },
          signal,
        );
      }
    } catch (err) {
      if (signal.aborted) return;
      // 410 Gone: relist at once; anything else is shown and retried shortly.
      if (!(err instanceof RequestError && err.status === 410)) {
        const errorStatus = err instanceof RequestError ? err.status : undefined;
        setState((s) => ({ ...s, live: false, error: errorText(err), errorStatus }));
        await sleep(RETRY_MS, signal);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The current time, refreshed every `everyMs`, for ages that keep counting. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
