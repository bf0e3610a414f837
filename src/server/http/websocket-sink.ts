import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { PacketSink } from '../hub/output-queue';

/**
 * A WebSocket as a PacketSink: each batch is one binary message (one fragment per buffer,
 * no copy), all corked into one write on the socket under it. mpegts.js reads the messages
 * as one continuous FLV byte stream.
 */
export function webSocketSink(ws: WebSocket, socket: Duplex): PacketSink {
  return {
    get pendingBytes() {
      return ws.bufferedAmount;
    },
    write(batch) {
      if (ws.readyState !== WebSocket.OPEN) return true;
      const last = batch.length - 1;
      socket.cork();
      for (let i = 0; i <= last; i++) ws.send(batch[i], { binary: true, fin: i === last });
      socket.uncork();
      return !socket.writableNeedDrain;
    },
    onceDrain(listener) {
      socket.once('drain', listener);
    },
  };
}
