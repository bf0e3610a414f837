// Reading a socket the way the RTMP session does: plain 'data' events, from whatever byte comes first.
import type { Socket } from 'node:net';
import { within } from '../../support/wait';

/** Collects what a socket's 'data' events deliver until `length` bytes are in; fails after 5 s. */
export function receive(socket: Socket, length: number, what = `${length} bytes`): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let total = 0;
  return within(
    new Promise((resolve) => {
      socket.on('data', (piece: Buffer) => {
        pieces.push(piece);
        total += piece.length;
        if (total >= length) resolve(Buffer.concat(pieces));
      });
    }),
    what,
  );
}
