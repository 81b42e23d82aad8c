// SPDY/3 header compression: zlib with the protocol's dictionary, ONE context per direction for the whole
// connection (each header block continues the stream of the previous one), every block ending on a sync
// flush so the peer can decode it whole. Go's framer (kubectl) does the same on its side.
import zlib from "node:zlib";

/** Header names and values the SPDY/3 dictionary starts with, each as uint32 length + bytes. */
const DICTIONARY_WORDS = [
  "options",
  "head",
  "post",
  "put",
  "delete",
  "trace",
  "accept",
  "accept-charset",
  "accept-encoding",
  "accept-language",
  "accept-ranges",
  "age",
  "allow",
  "authorization",
  "cache-control",
  "connection",
  "content-base",
  "content-encoding",
  "content-language",
  "content-length",
  "content-location",
  "content-md5",
  "content-range",
  "content-type",
  "date",
  "etag",
  "expect",
  "expires",
  "from",
  "host",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "pragma",
  "proxy-authenticate",
  "proxy-authorization",
  "range",
  "referer",
  "retry-after",
  "server",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "vary",
  "via",
  "warning",
  "www-authenticate",
  "method",
  "get",
  "status",
  "200 OK",
  "version",
  "HTTP/1.1",
  "url",
  "public",
  "set-cookie",
  "keep-alive",
  "origin",
];

/** …followed by these bytes as they are. */
const DICTIONARY_TAIL =
  "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505" +
  "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized" +
  "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable" +
  "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT" +
  "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain," +
  "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

function buildDictionary(): Buffer {
  const parts: Buffer[] = [];
  for (const word of DICTIONARY_WORDS) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(word.length);
    parts.push(length, Buffer.from(word, "latin1"));
  }
  parts.push(Buffer.from(DICTIONARY_TAIL, "latin1"));
  return Buffer.concat(parts);
}

/** The SPDY/3 header compression dictionary (1423 bytes). */
export const SPDY3_DICTIONARY: Buffer = buildDictionary();

type Engine = zlib.Inflate | zlib.Deflate;

/**
 * One zlib stream used block by block: each call writes the block, sync-flushes and answers what came out.
 * Calls are queued so blocks go through the context in the order they were given.
 */
class BlockCodec {
  #queue: Promise<unknown> = Promise.resolve();
  #out: Buffer[] = [];
  #failure?: Error;

  constructor(private readonly engine: Engine) {
    engine.on("data", (chunk: Buffer) => this.#out.push(chunk));
    engine.on("error", (error: Error) => {
      this.#failure = error;
    });
  }

  run(block: Uint8Array): Promise<Uint8Array> {
    const next = this.#queue.then(() => this.#one(block));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.engine.destroy();
  }

  #one(block: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      // A broken stream never calls the flush back: its error settles the block instead.
      const failed = (error: Error) => reject(error);
      this.engine.once("error", failed);
      this.engine.write(block);
      this.engine.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.engine.off("error", failed);
        if (this.#failure) return reject(this.#failure);
        const out = Buffer.concat(this.#out.splice(0));
        resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
      });
    });
  }
}

/** The two contexts of one SPDY connection's side: inflate what the peer sent, deflate what we send. */
export class HeaderZlib {
  readonly #inflate = new BlockCodec(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));
  readonly #deflate = new BlockCodec(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }));

  readonly inflate = (block: Uint8Array): Promise<Uint8Array> => this.#inflate.run(block);
  readonly deflate = (block: Uint8Array): Promise<Uint8Array> => this.#deflate.run(block);

  close(): void {
    this.#inflate.close();
    this.#deflate.close();
  }
}
