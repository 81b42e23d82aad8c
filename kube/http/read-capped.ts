// Reads a body stream to the end unless it passes a byte limit: the size is checked while
// streaming, so a body sent without a length is refused before it is all held in memory.

/** The body's bytes, or null once more than `limit` bytes arrived (the stream is then cancelled). */
export async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/**
 * Reads and drops a body nobody needs. Clients such as kubectl send bodies even with DELETE and
 * may hang when an answer comes before their body was taken; cancelling it instead makes the
 * runtime log an error. Bodies past `limit` are cancelled after that many bytes.
 */
export async function discardBody(request: Request, limit = 3 * 1024 * 1024): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  await readCapped(request.body, limit).catch(() => null);
}
