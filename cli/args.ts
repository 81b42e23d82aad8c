// A small argument parser: positional words and --flags (--name value, --name=value, --switch).

export interface Parsed {
  words: string[];
  flags: Map<string, string | true>;
}

/** Flags that never take a value. */
const SWITCHES = new Set(["help", "json", "view", "no-kubeconfig", "password-stdin", "print"]);

export function parseArgs(argv: string[]): Parsed {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h") flags.set("help", true);
    else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
      else {
        const name = arg.slice(2);
        const next = argv[i + 1];
        if (SWITCHES.has(name) || next === undefined || next.startsWith("--")) flags.set(name, true);
        else {
          flags.set(name, next);
          i++;
        }
      }
    } else words.push(arg);
  }
  return { words, flags };
}

export function flag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === "string" ? value : undefined;
}
