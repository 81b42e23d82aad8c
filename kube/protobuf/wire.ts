// A reader for the protobuf wire format (https://protobuf.dev/programming-guides/encoding/), enough to
// decode Kubernetes objects: varints, length-delimited fields, and skipping fixed32/fixed64. Every read is
// bounds-checked and advances or throws, so malformed input fails with a ProtobufError and never loops.

export class ProtobufError extends Error {
  override name = "ProtobufError";
}

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

export interface Tag {
  field: number;
  wire: number;
}

/** A varint holds at most 64 bits: ten bytes of seven bits each. */
const MAX_VARINT_BYTES = 10;
/** Field numbers are 29 bits (proto spec); anything larger is corrupt input. */
const MAX_FIELD_NUMBER = 2 ** 29 - 1;

export class WireReader {
  private pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    if (start < 0 || end > bytes.length || start > end) throw new ProtobufError(`invalid range ${start}..${end}`);
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads an unsigned varint of up to 64 bits. */
  readVarint(): bigint {
    let result = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.end) throw this.truncated("varint");
      const b = this.bytes[this.pos++];
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ProtobufError(`varint longer than ${MAX_VARINT_BYTES} bytes at offset ${this.pos - MAX_VARINT_BYTES}`);
  }

  /** A varint that must fit a non-negative safe integer (lengths, tags); plain number arithmetic, no BigInt. */
  readLength(what: string): number {
    const at = this.pos;
    let result = 0;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.end) throw this.truncated(what);
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) throw new ProtobufError(`${what} too large at offset ${at}`);
        return result;
      }
    }
    throw new ProtobufError(`varint longer than ${MAX_VARINT_BYTES} bytes at offset ${at}`);
  }

  readTag(): Tag {
    const at = this.pos;
    const key = this.readLength("field key");
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0 || field > MAX_FIELD_NUMBER)
      throw new ProtobufError(`invalid field number ${field} at offset ${at}`);
    return { field, wire };
  }

  /** The payload of a length-delimited field, as a view into the same buffer. */
  readBytes(): Uint8Array {
    const at = this.pos;
    const length = this.readLength("length");
    if (length > this.end - this.pos)
      throw new ProtobufError(
        `length ${length} at offset ${at} runs past the end of the data (${this.end - this.pos} bytes left)`,
      );
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  readString(): string {
    return utf8(this.readBytes());
  }

  /** Skips one field's value; groups (deprecated, never used by Kubernetes) are refused. */
  skip(wire: number): void {
    switch (wire) {
      case WireType.Varint:
        this.readVarint();
        return;
      case WireType.Fixed64:
        this.advance(8, "fixed64");
        return;
      case WireType.LengthDelimited:
        this.readBytes();
        return;
      case WireType.Fixed32:
        this.advance(4, "fixed32");
        return;
      default:
        throw new ProtobufError(`unsupported wire type ${wire} at offset ${this.pos}`);
    }
  }

  private advance(n: number, what: string): void {
    if (n > this.end - this.pos) throw this.truncated(what);
    this.pos += n;
  }

  private truncated(what: string): ProtobufError {
    return new ProtobufError(`unexpected end of data reading ${what} at offset ${this.pos}`);
  }
}

/** int64 as a JS number (values beyond 2^53 lose precision, as they would in JSON for most clients). */
export function toInt64(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

/** int32: negative values arrive sign-extended to 64 bits; the low 32 bits carry the value. */
export function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

const decoder = new TextDecoder();

/** Like gogo's generated code, strings are not validated: invalid UTF-8 becomes U+FFFD, as Go's JSON writes it. */
export function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
