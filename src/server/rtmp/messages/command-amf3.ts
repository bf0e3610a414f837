import { decodeAmf0, encodeAmf0 } from '../amf';
import { prependFormatSelector, stripFormatSelector } from './amf3-format';
import { commandFromValues, commandValues } from './command-amf0';
import type { CommandMessage } from './command-amf0';

/** Command Message, AMF3 form (RTMP 1.0 §7.1.1, type 17): format selector 0, then AMF0 with AMF3 switches. */
export function decodeCommandAmf3(payload: Buffer): CommandMessage {
  return commandFromValues(decodeAmf0(stripFormatSelector(payload, 'AMF3 command')), 'amf3');
}

export function encodeCommandAmf3(message: CommandMessage): Buffer {
  return prependFormatSelector(encodeAmf0(commandValues(message)));
}
