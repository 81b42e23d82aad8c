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
    this.#paths = new Set([...paths].map((p) => p.join(SEP)));
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
    for (const path of [...this.paths()].sort((a, b) => (a.join(SEP) < b.join(SEP) ? -1 : 1))) {
      let node = root;
      for (const el of path) {
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

  *paths(): Iterable<string[]> {
    for (const p of this.#paths) yield p.split(SEP);
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths()].filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths()].filter((p) => other.has(p)));
  }
}

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
