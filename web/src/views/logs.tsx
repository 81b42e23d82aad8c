// A pod's logs, followed live through GET …/pods/<name>/log?follow=true (what `kubectl logs -f` reads).
// Clusters whose API does not serve pods/log yet say so instead of showing nothing.
import { useEffect, useRef, useState } from "preact/hooks";
import type { KubeObject } from "../../../kube/types.ts";
import { errorText, RequestError } from "../errors.ts";
import type { ClusterApi } from "../kube-client.ts";

/** Kept in the page at most; older lines scroll away as in a terminal. */
const MAX_CHARS = 200_000;

export const LOGS_UNAVAILABLE = "Logs are not available on this cluster: its API does not serve pods/log.";
export const LOGS_NO_ANSWER = "The pod's node did not answer the log request. Is its agent connected?";

/** How long the log request may take to start answering; the stream itself may then run for hours. */
const CONNECT_MS = 15_000;

/** A 404 naming no pod means the log endpoint itself is missing. */
export function logsUnavailable(err: unknown): boolean {
  return err instanceof RequestError && (err.status === 405 || (err.status === 404 && !/pods? "/.test(err.message)));
}

export function PodLogs({ api, pod, onClose }: { api: ClusterApi; pod: KubeObject; onClose: () => void }) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string>();
  const [ended, setEnded] = useState(false);
  /** The log request answered 200: only then is there a log to show. */
  const [connected, setConnected] = useState(false);
  const pre = useRef<HTMLPreElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const { name, namespace } = pod.metadata;

  useEffect(() => {
    const abort = new AbortController();
    let timedOut = false;
    setText("");
    setProblem(undefined);
    setEnded(false);
    setConnected(false);
    (async () => {
      try {
        const path = `/api/v1/namespaces/${namespace}/pods/${name}/log?follow=true&tailLines=500`;
        const timer = setTimeout(() => {
          timedOut = true;
          abort.abort();
        }, CONNECT_MS);
        const res = await api
          .request("GET", path, { signal: abort.signal, headers: { accept: "*/*" } })
          .finally(() => clearTimeout(timer));
        setConnected(true);
        const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) break;
          setText((t) => (t + chunk.value).slice(-MAX_CHARS));
        }
        setEnded(true);
      } catch (err) {
        if (timedOut) setProblem(LOGS_NO_ANSWER);
        if (abort.signal.aborted) return;
        setProblem(logsUnavailable(err) ? LOGS_UNAVAILABLE : errorText(err));
      }
    })();
    return () => abort.abort();
  }, [api, name, namespace]);

  // The panel opens below the tables: bring it into view and move focus to it, as a dialog would.
  useEffect(() => {
    heading.current?.scrollIntoView({ block: "start" });
    heading.current?.focus();
  }, [name, namespace]);

  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [text]);

  return (
    <section class="card" aria-labelledby="logs-title">
      <div class="row">
        <h2 id="logs-title" ref={heading} tabIndex={-1}>
          Logs of {namespace}/{name}
        </h2>
        <button type="button" class="secondary" onClick={onClose}>
          Close logs
        </button>
      </div>
      {problem ? (
        <p class="alert" role="alert">
          {problem}
        </p>
      ) : !connected ? (
        <p aria-live="polite">Connecting to the log…</p>
      ) : (
        <pre class="logs" ref={pre} role="log" aria-label={`log of pod ${name}`}>
          {text || (ended ? "(no output)" : "Waiting for output…")}
        </pre>
      )}
      {ended && !problem && <p class="hint">The log stream ended (the container stopped).</p>}
    </section>
  );
}
