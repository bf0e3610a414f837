import type { MediaPacket, PacketFormat } from './media-packet';

/**
 * The packets a stream fanned out since its last flush. A reader whose pending writes are
 * exactly these (the usual case: a reader keeping up) writes one shared Buffer, joined
 * once per format, instead of a writev of its own.
 */
export class Batch {
  readonly packets: MediaPacket[] = [];
  private readonly formats: PacketFormat[] = [];
  private readonly joined: Buffer[] = [];

  /** The batch as one Buffer if `pending` holds exactly its packets in `format`; null otherwise. */
  sharedBytes(pending: readonly Buffer[], format: PacketFormat): Buffer | null {
    const count = this.packets.length;
    if (count < 2 || pending.length !== count) return null;
    for (let i = 0; i < count; i++) if (pending[i] !== this.packets[i].encoded(format)) return null;
    for (let i = 0; i < this.formats.length; i++) if (this.formats[i] === format) return this.joined[i];
    const bytes = Buffer.concat(pending as Buffer[]);
    this.formats.push(format);
    this.joined.push(bytes);
    return bytes;
  }
}
