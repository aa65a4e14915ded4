/**
 * Just enough of the protobuf wire format to write ONNX models: varints, 32-bit floats and
 * length-delimited fields (strings, bytes, nested messages, packed repeated numbers).
 * Writing only (Eddy never parses a model itself: ONNX Runtime does), so a few dozen lines
 * replace a protobuf library and the generated ONNX classes.
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  /** Field of wire type 0: int32, int64, enum, bool (negative numbers as 64-bit two's complement). */
  varint(field: number, value: number | bigint): this {
    this.push(tag(field, 0));
    return this.push(varintBytes(value));
  }

  /** Field of wire type 5: a float, little-endian. */
  float(field: number, value: number): this {
    this.push(tag(field, 5));
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.push(b);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.push(tag(field, 2));
    this.push(varintBytes(value.length));
    return this.push(value);
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** A repeated float field, packed (parsers accept packed for any repeated number field). */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    return this.bytes(field, b);
  }

  /** A repeated int32/int64 field, packed. */
  packedVarints(field: number, values: ArrayLike<number>): this {
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) inner.push(varintBytes(values[i]));
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.size += bytes.length;
    return this;
  }
}

const tag = (field: number, wireType: number) => varintBytes(field * 8 + wireType);

export function varintBytes(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? low | 0x80 : low);
  } while (v);
  return Uint8Array.from(out);
}
