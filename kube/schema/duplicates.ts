// Duplicate keys in a JSON text. JSON.parse silently keeps the last of repeated keys; the
// apiserver's strict decoder reports each repeat as `duplicate field "<path>"`, so we scan the
// raw text. Malformed text yields what was found before the error (parsing reports the rest).

const WS = new Set([" ", "\t", "\n", "\r"]);

class Scanner {
  pos = 0;
  readonly out: string[] = [];
  constructor(readonly text: string) {}

  skipWs(): void {
    while (this.pos < this.text.length && WS.has(this.text[this.pos])) this.pos++;
  }

  value(path: string): void {
    this.skipWs();
    const c = this.text[this.pos];
    if (c === "{") this.object(path);
    else if (c === "[") this.array(path);
    else if (c === '"') this.string();
    else this.literal();
  }

  object(path: string): void {
    this.pos++;
    const keys = new Set<string>();
    this.skipWs();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWs();
      const key = this.string();
      const field = path ? `${path}.${key}` : key;
      if (keys.has(key)) this.out.push(field);
      keys.add(key);
      this.skipWs();
      this.expect(":");
      this.value(field);
      this.skipWs();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return;
      }
      this.expect(",");
    }
  }

  array(path: string): void {
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.value(`${path}[${i}]`);
      this.skipWs();
      if (this.text[this.pos] === "]") {
        this.pos++;
        return;
      }
      this.expect(",");
    }
  }

  string(): string {
    const start = this.pos;
    this.expect('"');
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === "\\" ? 2 : 1;
    this.expect('"');
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  literal(): void {
    const start = this.pos;
    while (this.pos < this.text.length && !",]}".includes(this.text[this.pos]) && !WS.has(this.text[this.pos]))
      this.pos++;
    if (this.pos === start) throw new SyntaxError("value expected");
  }

  expect(c: string): void {
    if (this.text[this.pos] !== c) throw new SyntaxError(`${c} expected at ${this.pos}`);
    this.pos++;
  }
}

/** Paths of repeated keys in a JSON object text, in order: `metadata.name`, `spec.containers[0].image`. */
export function findDuplicateFields(text: string): string[] {
  const s = new Scanner(text);
  s.skipWs();
  if (s.text[s.pos] !== "{") return []; // not JSON (YAML bodies are checked by their parser)
  try {
    s.value("");
  } catch {
    // Malformed or absurdly deep input: report what was found; decoding rejects the rest.
  }
  return s.out;
}
