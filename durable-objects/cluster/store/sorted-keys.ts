// One resource's store keys in sorted order, kept sorted as keys come and go (issue 22). The table
// used to drop its sorted array on every new key and re-sort all N keys on the next list, and a list
// page walked every key from the start to find its continue key: with 100,000 pods a create followed
// by any list cost a sort of 100,000 strings, and a paged walk was N/limit walks of N. Keys live in
// chunks of at most CHUNK_MAX: an insert or delete moves at most a chunk, a page starts by binary search.

const CHUNK_MAX = 1024;

export class SortedKeys {
  #chunks: string[][] = [];
  #size = 0;

  /** Built once from unsorted keys (a store loading its table). */
  static of(keys: Iterable<string>): SortedKeys {
    const out = new SortedKeys();
    const all = [...keys].sort();
    for (let i = 0; i < all.length; i += CHUNK_MAX / 2) out.#chunks.push(all.slice(i, i + CHUNK_MAX / 2));
    out.#size = all.length;
    return out;
  }

  get size(): number {
    return this.#size;
  }

  /** The chunk a key belongs in: the first whose last key is ≥ key, else the last. */
  #chunkFor(key: string): number {
    let lo = 0;
    let hi = this.#chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#chunks[mid].at(-1)! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a key; false when it was there already. */
  insert(key: string): boolean {
    if (this.#chunks.length === 0) {
      this.#chunks.push([key]);
      this.#size = 1;
      return true;
    }
    const c = this.#chunkFor(key);
    const chunk = this.#chunks[c];
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return false;
    chunk.splice(i, 0, key);
    this.#size++;
    if (chunk.length > CHUNK_MAX) this.#chunks.splice(c + 1, 0, chunk.splice(CHUNK_MAX / 2));
    return true;
  }

  /** Removes a key; false when it was not there. */
  delete(key: string): boolean {
    if (this.#chunks.length === 0) return false;
    const c = this.#chunkFor(key);
    const chunk = this.#chunks[c];
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.#size--;
    if (chunk.length === 0) this.#chunks.splice(c, 1);
    return true;
  }

  /**
   * Keys ≥ start (or > start when `after`), in order, read lazily: a page reads only what it returns.
   * Not to be interleaved with inserts or deletes (a split chunk would be read twice).
   */
  *from(start: string, after = false): Generator<string> {
    if (this.#chunks.length === 0) return;
    let c = this.#chunkFor(start);
    let i = after ? upperBound(this.#chunks[c], start) : lowerBound(this.#chunks[c], start);
    for (; c < this.#chunks.length; c++, i = 0) {
      const chunk = this.#chunks[c];
      for (; i < chunk.length; i++) yield chunk[i];
    }
  }

  /** How many keys are < key (or ≤ key when `inclusive`): whole chunks are counted by their length. */
  rank(key: string, inclusive = false): number {
    if (this.#chunks.length === 0) return 0;
    const c = this.#chunkFor(key);
    let n = 0;
    for (let k = 0; k < c; k++) n += this.#chunks[k].length;
    return n + (inclusive ? upperBound(this.#chunks[c], key) : lowerBound(this.#chunks[c], key));
  }
}

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
