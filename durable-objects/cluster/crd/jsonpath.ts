// The JSONPath subset CRD printer columns and scale paths use: `.a.b`, `.a[0]`, `.a[*].b` and
// `.a[?(@.type=="Ready")].status` (with or without `{}` around it, as kubectl's template syntax).

type Step = { key: string } | { index: number } | { all: true } | { filter: { key: string; value: string } };

const STEP =
  /^\.([A-Za-z0-9_\-$/]+)|^\['([^']*)'\]|^\[(\d+)\]|^\[\*\]|^\[\?\(@\.([A-Za-z0-9_-]+)\s*==\s*["']([^"']*)["']\)\]/;

/** The steps of a path, or undefined when it is not in the supported subset. */
export function parsePath(path: string): Step[] | undefined {
  let rest = path.trim();
  if (rest.startsWith("{") && rest.endsWith("}")) rest = rest.slice(1, -1).trim();
  if (rest.startsWith("$")) rest = rest.slice(1);
  const steps: Step[] = [];
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ key: m[2] });
    else if (m[3] !== undefined) steps.push({ index: Number(m[3]) });
    else if (m[4] !== undefined) steps.push({ filter: { key: m[4], value: m[5] } });
    else steps.push({ all: true });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/** Every value the path reaches in `obj`. */
export function evaluate(steps: Step[], obj: unknown): unknown[] {
  let current: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== "object") continue;
      if ("key" in step) {
        if (!Array.isArray(v) && Object.hasOwn(v, step.key)) next.push((v as Record<string, unknown>)[step.key]);
      } else if (!Array.isArray(v)) continue;
      else if ("index" in step) {
        if (step.index < v.length) next.push(v[step.index]);
      } else if ("all" in step) next.push(...v);
      else
        for (const item of v)
          if (
            item &&
            typeof item === "object" &&
            String((item as Record<string, unknown>)[step.filter.key]) === step.filter.value
          )
            next.push(item);
    }
    current = next;
  }
  return current;
}

/** The value at a simple path (`.spec.replicas`), or undefined. */
export function valueAt(path: string, obj: unknown): unknown {
  const steps = parsePath(path);
  return steps ? evaluate(steps, obj)[0] : undefined;
}

/** Sets the value at a simple dotted path (`.spec.replicas`), making the objects on the way. */
export function setAt(path: string, obj: Record<string, unknown>, value: unknown): void {
  const keys = path.split(".").filter(Boolean);
  let at = obj;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== "object" || at[key] === null || Array.isArray(at[key])) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}
