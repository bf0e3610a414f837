// A growable output buffer for the AMF encoders: doubles its capacity, never concatenates.

const INITIAL_CAPACITY = 256;

export class AmfWriter {
  private buffer = Buffer.allocUnsafe(INITIAL_CAPACITY);
  private length = 0;

  /** The bytes written so far (a view, not a copy). */
  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  uint8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  uint16(value: number): void {
    this.reserve(2);
    this.length = this.buffer.writeUInt16BE(value, this.length);
  }

  int16(value: number): void {
    this.reserve(2);
    this.length = this.buffer.writeInt16BE(value, this.length);
  }

  uint32(value: number): void {
    this.reserve(4);
    this.length = this.buffer.writeUInt32BE(value, this.length);
  }

  double(value: number): void {
    this.reserve(8);
    this.length = this.buffer.writeDoubleBE(value, this.length);
  }

  /** Writes UTF-8 text whose byte length the caller already measured (it had to, for the prefix). */
  utf8(text: string, byteLength: number): void {
    this.reserve(byteLength);
    this.length += this.buffer.write(text, this.length, byteLength, 'utf8');
  }

  bytes(source: Buffer): void {
    this.reserve(source.length);
    this.length += source.copy(this.buffer, this.length);
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
