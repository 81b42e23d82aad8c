// Watch: a chunked stream of newline-delimited JSON events. It starts with the current
// state (resourceVersion unset or "0") or replays the change log after a revision (410
// Expired when that revision is compacted away), then follows live changes; it sends
// bookmarks when asked, honours timeoutSeconds, and drops a client that stops reading.
import { gone } from "../../../kube/status.ts";
import type { WatchEventType } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { Change, StoredEntry } from "../store/object-store.ts";
import type { ApiContext } from "../context.ts";
import type { ListOptions } from "./options.ts";
import type { Predicate } from "./selection.ts";

/** How an event's object is written: the stored JSON, or a Table row built from it. */
export type EventRenderer = (entry: StoredEntry) => string;

export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** Bytes queued for one slow client before the watch is closed (clients then re-watch). */
  maxBufferedBytes: number;
  /** Upper bound on a watch's life when the client names none. */
  maxTimeoutSeconds: number;
}

export const defaultWatchSettings: WatchSettings = {
  bookmarkIntervalMs: 60_000,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxTimeoutSeconds: 1800,
};

const encoder = new TextEncoder();

function eventLine(type: WatchEventType, objectJson: string): Uint8Array {
  return encoder.encode(`{"type":"${type}","object":${objectJson}}\n`);
}

/** The type a selection-aware watcher sees: objects entering or leaving the selection become ADDED/DELETED. */
function eventTypeFor(change: Change, matches: Predicate): WatchEventType | null {
  const now = change.type !== "DELETED" && matches(change.entry.object);
  const before = change.previous ? matches(change.previous.object) : change.type !== "ADDED" && now;
  if (change.type === "DELETED") return matches(change.entry.object) ? "DELETED" : null;
  if (now && before) return "MODIFIED";
  if (now) return "ADDED";
  if (before) return "DELETED";
  return null;
}

function inScope(entry: StoredEntry, resource: string, namespace: string | undefined): boolean {
  return entry.resource === resource && (namespace === undefined || entry.object.metadata.namespace === namespace);
}

export function watch(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  options: ListOptions,
  matches: Predicate,
  render: EventRenderer,
  settings: WatchSettings = defaultWatchSettings,
): ReadableStream<Uint8Array> {
  const resource = resourceId(kind);
  // The writable side queues up to maxBufferedBytes for a reader that falls behind.
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(
    undefined,
    new ByteLengthQueuingStrategy({ highWaterMark: settings.maxBufferedBytes }),
  );
  const writer = writable.getWriter();
  let closed = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const after = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  let unsubscribe = () => {};

  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    writer.close().catch(() => {});
  };
  const send = (line: Uint8Array) => {
    if (closed) return;
    if ((writer.desiredSize ?? 0) < 0) return close();
    writer.write(line).catch(close);
  };
  const sendEntry = (type: WatchEventType, entry: StoredEntry) => send(eventLine(type, render(entry)));
  const bookmark = (annotations?: Record<string, string>) => {
    const metadata = { resourceVersion: String(ctx.store.revision), ...(annotations ? { annotations } : {}) };
    send(eventLine("BOOKMARK", JSON.stringify({ kind: kind.kind, apiVersion: bookmarkApiVersion(kind), metadata })));
  };
  writer.closed.catch(close);

  const rv = options.resourceVersion;
  const fromRevision = rv === "" || rv === "0" ? undefined : Number(rv);
  if (fromRevision !== undefined && fromRevision < ctx.store.oldestResumableRevision) {
    const status = gone(`too old resource version: ${rv} (${ctx.store.oldestResumableRevision + 1})`).toStatus();
    send(eventLine("ERROR", JSON.stringify(status)));
    close();
    return readable;
  }

  const pending: Change[] = [];
  let live = false;
  unsubscribe = ctx.store.onChange((change) => {
    if (!inScope(change.entry, resource, namespace)) return;
    if (!live) pending.push(change);
    else emit(change);
  });
  const emit = (change: Change) => {
    const type = eventTypeFor(change, matches);
    if (type) sendEntry(type, change.entry);
  };

  if (fromRevision === undefined) {
    for (const entry of ctx.store.list(resource, namespace)) if (matches(entry.object)) sendEntry("ADDED", entry);
    if (options.sendInitialEvents && options.allowWatchBookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
  } else {
    for (const change of ctx.store.changesSince(fromRevision))
      if (inScope(change.entry, resource, namespace)) emit(change);
  }
  live = true;
  for (const change of pending) emit(change);

  const timeout = Math.min(options.timeoutSeconds ?? settings.maxTimeoutSeconds, settings.maxTimeoutSeconds);
  after(timeout * 1000, close);
  if (options.allowWatchBookmarks) {
    const tick = () => {
      bookmark();
      if (!closed) after(settings.bookmarkIntervalMs, tick);
    };
    after(settings.bookmarkIntervalMs, tick);
  }
  return readable;
}

function bookmarkApiVersion(kind: ResourceKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}
