// A set of field paths in upstream's FieldsV1 form (structured-merge-diff). A path is a list
// of elements — `f:<field>`, `k:<json of a list item's keys>`, `v:<json of a set value>` —
// ending either at an owned value (a leaf) or in `.`, which says a list item itself is owned.
// In FieldsV1 a leaf is an empty object and `.` an entry of its item's object.

export type FieldsV1 = { [element: string]: FieldsV1 };
export type FieldPath = readonly string[];

const SEP = "\u0000";

/**
 * Deepest field path a FieldsV1 tree may hold: far beyond any kind's schema, and low enough that
 * walking a hostile tree (a body can nest thousands of levels) costs little and never exhausts the stack.
 */
export const MAX_FIELDS_DEPTH = 100;

export class FieldSet {
  readonly #paths: Set<string>;

  constructor(paths: Iterable<FieldPath> = []) {
    this.#paths = new Set();
    for (const p of paths) this.#paths.add(p.join(SEP));
  }

  /** From paths already in the set's own key form (fieldKey): set algebra never splits and joins again. */
  static ofKeys(keys: Iterable<string>): FieldSet {
    const set = new FieldSet();
    for (const key of keys) set.#paths.add(key);
    return set;
  }

  static fromFieldsV1(value: unknown): FieldSet {
    const paths: string[][] = [];
    const walk = (node: unknown, prefix: string[]) => {
      // Deeper trees are refused by validateManagedFields; here they only must not overflow the stack.
      if (!node || typeof node !== "object" || Array.isArray(node) || prefix.length > MAX_FIELDS_DEPTH) return;
      const entries = Object.entries(node);
      if (entries.length === 0 && prefix.length > 0) paths.push(prefix);
      for (const [key, child] of entries) {
        if (key === ".") paths.push([...prefix, "."]);
        else walk(child, [...prefix, key]);
      }
    };
    walk(value, []);
    return new FieldSet(paths);
  }

  toFieldsV1(): FieldsV1 {
    const root: FieldsV1 = {};
    // Sorting the keys sorts the paths element by element: SEP sorts below every character of an element.
    for (const key of [...this.#paths].sort()) {
      let node = root;
      for (const el of key.split(SEP)) {
        node[el] ??= {};
        node = node[el];
      }
    }
    return root;
  }

  get size(): number {
    return this.#paths.size;
  }

  has(path: FieldPath): boolean {
    return this.#paths.has(path.join(SEP));
  }

  hasKey(key: string): boolean {
    return this.#paths.has(key);
  }

  *paths(): Iterable<string[]> {
    for (const p of this.#paths) yield p.split(SEP);
  }

  keys(): Iterable<string> {
    return this.#paths;
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.ofKeys([...this.#paths, ...other.#paths]);
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.ofKeys([...this.#paths].filter((p) => !other.#paths.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.ofKeys([...this.#paths].filter((p) => other.#paths.has(p)));
  }
}

/** A path in a FieldSet's key form. */
export const fieldKey = (path: FieldPath) => path.join(SEP);

/** Whether a key's path ends in `.` (a list item itself, not a value in it). */
export const isItemKey = (key: string) => key.endsWith(`${SEP}.`);

/** A path as upstream prints it in conflict messages: `.spec.containers[name="web"].image`. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const el of path) {
    if (el.startsWith("f:")) out += `.${el.slice(2)}`;
    else if (el.startsWith("k:")) {
      const keys = JSON.parse(el.slice(2)) as Record<string, unknown>;
      out += `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(",")}]`;
    } else if (el.startsWith("v:")) out += `[=${el.slice(2)}]`;
  }
  return out;
}
