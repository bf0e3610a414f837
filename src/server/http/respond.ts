import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Stable codes for the `error.code` field of a JSON error body. */
export type HttpErrorCode =
  | 'BAD_REQUEST'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'STREAM_NOT_LIVE'
  | 'METHOD_NOT_ALLOWED'
  | 'URI_TOO_LONG'
  | 'INTERNAL_ERROR';

const errorBody = (code: HttpErrorCode, message: string): string => JSON.stringify({ error: { code, message } });

export function sendJson(res: ServerResponse, status: number, json: string, headers: Record<string, string>): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    'Cache-Control': 'no-cache',
  });
  res.end(json);
}

export function sendError(res: ServerResponse, status: number, code: HttpErrorCode, message: string, headers: Record<string, string>): void {
  sendJson(res, status, errorBody(code, message), headers);
}

/** Refuses a WebSocket upgrade with a plain HTTP response on the raw socket, then closes it. */
export function refuseUpgrade(socket: Duplex, status: number, code: HttpErrorCode, message: string): void {
  const body = errorBody(code, message);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
