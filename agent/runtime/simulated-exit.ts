// How a simulated container ends, as kwok lets pods finish: the pod annotation sim.flotilla.dev/exit
// says so (JSON, {"exitCode": 1, "afterSeconds": 5} for every container or {"main": {…}} per container);
// otherwise its command does where that is knowable (`true`, `false`, `sleep N`, `exit N`, and `sh -c` of
// those joined by `;`, `&&`, `||`, with echo and friends taking no time); otherwise a container of a pod
// with restartPolicy Never or OnFailure ends with 0 after a short run, and one with Always runs on.
import type { Container, Pod } from "../../kube/pod-types.ts";

export const EXIT_ANNOTATION = "sim.flotilla.dev/exit";
/** How long a container whose end is not knowable runs in a Never/OnFailure pod. */
export const DEFAULT_RUN_SECONDS = 5;

export interface Ending {
  exitCode: number;
  afterMs: number;
}

/** Runs until stopped. */
export const FOREVER = "forever";
type Outcome = Ending | typeof FOREVER | undefined;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function annotated(pod: Pod, container: string): Outcome {
  let script: unknown;
  try {
    script = JSON.parse(pod.metadata.annotations?.[EXIT_ANNOTATION] ?? "null");
  } catch {
    return undefined;
  }
  if (!isRecord(script)) return undefined;
  const entry = isRecord(script[container]) ? script[container] : script;
  const code = entry.exitCode;
  if (typeof code !== "number" || !Number.isInteger(code) || code < 0 || code > 255) return undefined;
  const after = typeof entry.afterSeconds === "number" && entry.afterSeconds >= 0 ? entry.afterSeconds : 0;
  return { exitCode: code, afterMs: Math.round(after * 1000) };
}

/** GNU sleep's operands: a number with an optional s/m/h/d suffix, or infinity. */
function sleepMs(operand: string | undefined): number | typeof FOREVER | undefined {
  if (operand === undefined) return undefined;
  if (/^inf(inity)?$/i.test(operand)) return FOREVER;
  const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(operand);
  if (!m) return undefined;
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "" | "s" | "m" | "h" | "d"];
  return Math.round(Number(m[1]) * unit * 1000);
}

/** Commands that end at once with 0 whatever they print. */
const QUICK = new Set(["true", ":", "echo", "printf", "date", "hostname", "env", "pwd", "id", "whoami", "uname"]);

type Step = { exit: true; code: number } | { code: number; ms: number } | typeof FOREVER | undefined;

function simple(words: string[], last: number): Step {
  const [cmd, ...rest] = words;
  const name = (cmd ?? "").slice((cmd ?? "").lastIndexOf("/") + 1);
  if (name === "exit") {
    const code = rest[0] === undefined ? last : Number(rest[0]);
    return Number.isInteger(code) ? { exit: true, code: ((code % 256) + 256) % 256 } : undefined;
  }
  if (name === "false") return { code: 1, ms: 0 };
  if (name === "sleep") {
    const ms = rest.length === 1 ? sleepMs(rest[0]) : undefined;
    return ms === FOREVER ? FOREVER : ms === undefined ? undefined : { code: 0, ms };
  }
  if (QUICK.has(name)) return { code: 0, ms: 0 };
  return undefined;
}

/** Splits a shell script into simple commands and the operator before each (";" for the first). */
function parseScript(script: string): { op: string; words: string[] }[] | undefined {
  const out: { op: string; words: string[] }[] = [];
  let words: string[] = [];
  let word = "";
  let quote = "";
  let op = ";";
  const endWord = () => {
    if (word !== "") words.push(word);
    word = "";
  };
  const endCommand = (next: string) => {
    endWord();
    if (words.length > 0) out.push({ op, words });
    words = [];
    op = next;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      if (ch === quote) quote = "";
      else word += ch;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "&" && script[i + 1] === "&") {
      endCommand("&&");
      i++;
    } else if (ch === "|" && script[i + 1] === "|") {
      endCommand("||");
      i++;
    } else if (ch === ";" || ch === "\n") endCommand(";");
    else if (/[|&<>`$(){}]/.test(ch))
      return undefined; // pipes, redirections, substitutions: not knowable
    else if (/\s/.test(ch)) endWord();
    else word += ch;
  }
  if (quote) return undefined;
  endCommand(";");
  return out;
}

function runScript(commands: { op: string; words: string[] }[]): Outcome {
  let code = 0;
  let ms = 0;
  for (const { op, words } of commands) {
    if ((op === "&&" && code !== 0) || (op === "||" && code === 0)) continue;
    const step = simple(words, code);
    if (step === undefined || step === FOREVER) return step;
    if ("exit" in step) return { exitCode: step.code, afterMs: ms };
    code = step.code;
    ms += step.ms;
  }
  return { exitCode: code, afterMs: ms };
}

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh"]);

/** What the container's command and args say about how it ends; undefined when they do not say. */
export function commandEnding(container: Container): Outcome {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (argv.length === 0) return undefined;
  const name = argv[0].slice(argv[0].lastIndexOf("/") + 1);
  if (SHELLS.has(name)) {
    const flags = argv[1] ?? "";
    if (!/^-[a-z]*c[a-z]*$/.test(flags) || argv[2] === undefined) return undefined;
    const commands = parseScript(argv[2]);
    return commands ? runScript(commands) : undefined;
  }
  return runScript([{ op: ";", words: argv }]);
}

/** How the container ends, or FOREVER. */
export function containerEnding(pod: Pod, container: Container): Ending | typeof FOREVER {
  const outcome = annotated(pod, container.name) ?? commandEnding(container);
  if (outcome !== undefined) return outcome;
  const policy = pod.spec.restartPolicy ?? "Always";
  return policy === "Always" ? FOREVER : { exitCode: 0, afterMs: DEFAULT_RUN_SECONDS * 1000 };
}
