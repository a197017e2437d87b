/**
 * The few protobuf encodings an ONNX file needs, as byte chunks: varints (int64 included, negative
 * numbers as ten-byte two's complement), 32-bit floats, and length-delimited fields (strings,
 * bytes, sub-messages). The counterpart of the reader in initializers.ts.
 *
 *   message(varintField(1, 8), stringField(2, 'tokenloom'))   // Uint8Array [8, 8, 18, 9, 116, …]
 *
 * Written by hand (about 60 lines) because the npm options, protobufjs plus onnx.proto, would ship
 * a schema compiler into the worker to write eight message types.
 *
 * Not handled here: packed repeated fields other than int64s, groups, maps, reading.
 */

function varintBytes(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const tag = (field: number, wireType: number) => varintBytes(field * 8 + wireType);

/** The chunks joined into one array. */
export function message(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function varintField(field: number, value: number | bigint): Uint8Array {
  return Uint8Array.from([...tag(field, 0), ...varintBytes(value)]);
}

export function floatField(field: number, value: number): Uint8Array {
  const out = new Uint8Array([...tag(field, 5), 0, 0, 0, 0]);
  new DataView(out.buffer).setFloat32(out.length - 4, value, true);
  return out;
}

export function bytesField(field: number, payload: Uint8Array): Uint8Array {
  return message(Uint8Array.from([...tag(field, 2), ...varintBytes(payload.length)]), payload);
}

export function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, new TextEncoder().encode(value));
}

/** A packed repeated int64 field. */
export function packedInts(field: number, values: readonly number[]): Uint8Array {
  return bytesField(field, Uint8Array.from(values.flatMap((v) => varintBytes(v))));
}
