// List+watch bookkeeping, kept pure so it can be tested without a browser: splitting a chunked
// newline-delimited JSON stream into events, and folding events into a keyed collection.
import type { KubeObject, Status, WatchEvent } from "../../kube/types.ts";

/** Splits arbitrary text chunks into complete lines; a partial last line waits for the next chunk. */
export class LineSplitter {
  #rest = "";

  push(chunk: string): string[] {
    const text = this.#rest + chunk;
    const lines = text.split("\n");
    this.#rest = lines.pop() ?? "";
    return lines.filter((line) => line.trim() !== "");
  }
}

/** namespace/name, or name for cluster-scoped objects: unique within one resource. */
export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : `${name}`;
}

export type WatchOutcome =
  | { kind: "changed"; items: Map<string, KubeObject>; resourceVersion: string }
  | { kind: "bookmark"; resourceVersion: string }
  /** The watch cannot continue from here: relist (410 Gone or any other error event). */
  | { kind: "relist"; status: Status };

/**
 * Applies one watch event to a collection. Returns a new Map when it changed so that UI frameworks
 * comparing by identity re-render; the input is never mutated.
 */
export function applyWatchEvent(items: Map<string, KubeObject>, event: WatchEvent): WatchOutcome {
  if (event.type === "ERROR") return { kind: "relist", status: event.object as Status };
  const obj = event.object as KubeObject;
  const resourceVersion = obj.metadata?.resourceVersion ?? "";
  if (event.type === "BOOKMARK") return { kind: "bookmark", resourceVersion };
  const next = new Map(items);
  if (event.type === "DELETED") next.delete(objectKey(obj));
  else next.set(objectKey(obj), obj);
  return { kind: "changed", items: next, resourceVersion };
}

/** A list response's items keyed as the watch will key them. */
export function fromList(items: KubeObject[]): Map<string, KubeObject> {
  return new Map(items.map((item) => [objectKey(item), item]));
}
