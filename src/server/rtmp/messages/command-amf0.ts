import { ProtocolError } from '../../errors';
import { decodeAmf0, encodeAmf0 } from '../amf';
import type { AmfValue } from '../amf';

/**
 * Command Message (RTMP 1.0 §7.1.1): name, transaction id, command object, then optional arguments.
 * Type 20 carries AMF0, type 17 the AMF3 form (see command-amf3.ts); both decode to this shape.
 */
export interface CommandMessage {
  type: 'command';
  /** The wire form: type 20 (amf0) or 17 (amf3). Set by decodeMessage; encodeMessage defaults to amf0. */
  encoding?: 'amf0' | 'amf3';
  name: string;
  transactionId: number;
  /** Usually an object (connect) or null. A command without one decodes as null. */
  commandObject: AmfValue;
  args: AmfValue[];
}

export function decodeCommandAmf0(payload: Buffer): CommandMessage {
  return commandFromValues(decodeAmf0(payload), 'amf0');
}

export function encodeCommandAmf0(message: CommandMessage): Buffer {
  return encodeAmf0(commandValues(message));
}

/** Builds a command from its decoded AMF values, whichever message type carried them. */
export function commandFromValues(values: AmfValue[], encoding: 'amf0' | 'amf3'): CommandMessage {
  const [name, transactionId, commandObject = null, ...args] = values;
  if (typeof name !== 'string' || typeof transactionId !== 'number') {
    throw new ProtocolError('MESSAGE_MALFORMED', 'command does not start with a name string and a transaction id');
  }
  return { type: 'command', encoding, name, transactionId, commandObject, args };
}

/** The AMF values of a command, in wire order. */
export function commandValues(message: CommandMessage): AmfValue[] {
  return [message.name, message.transactionId, message.commandObject, ...message.args];
}
