// RTMP handshake (Adobe RTMP 1.0 spec §5.2), simple and Flash-style digest, for both ends of a connection.
export { ServerHandshake } from './server-handshake';
export { ClientHandshake } from './client-handshake';
export type { ClientHandshakeOptions } from './client-handshake';
export { PACKET_SIZE, RTMP_VERSION } from './packet';
export type { HandshakeOptions, HandshakeProgress, HandshakeStyle } from './packet';
