// HTTP-FLV and WS-FLV over TLS: the media server's HTTPS port serves the same players, behind its certificate.
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ensureSelfSigned, loadCertificate, type LoadedCertificate } from '../../../src/server/tls';
import { gops, h264AacHeaders } from '../../support/media';
import { useRtmpHarness } from '../../support/rtmp-harness';

const FLV_SIGNATURE = Buffer.from('FLV');
const TEST_MS = 15_000;

let directory: string;
let certificate: LoadedCertificate;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'airlock-https-flv-'));
  certificate = await loadCertificate(await ensureSelfSigned(join(directory, 'tls')));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The first `bytes` of a response body, read with the certificate as the only trusted CA. */
function readHttps(url: string, ca: Buffer, bytes: number): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca }, (response) => {
      const pieces: Buffer[] = [];
      let received = 0;
      response.on('data', (piece: Buffer) => {
        pieces.push(piece);
        received += piece.length;
        if (received < bytes) return;
        request.destroy();
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body: Buffer.concat(pieces) });
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body: Buffer.concat(pieces) }));
    });
    request.on('error', reject);
  });
}

describe('HTTP-FLV and WS-FLV over TLS', () => {
  const harness = useRtmpHarness();

  async function liveServer() {
    const started = await harness.startServer({ certificate, rtmpsPort: 0, httpsPort: 0 });
    const publisher = await harness.publisher(started.url(), 'cam');
    publisher.send([...h264AacHeaders(), ...gops({ gops: 2 })]);
    await harness.connect(started.url()); // a round trip later, the server has taken every packet
    const httpsPort = started.server.addresses.https?.port;
    expect(httpsPort).toBeGreaterThan(0);
    return { ...started, httpsPort };
  }

  it('serves https://HOST/APP/STREAM.flv from the GOP cache to a client that trusts only our certificate', { timeout: TEST_MS }, async () => {
    const { httpsPort } = await liveServer();
    const { status, type, body } = await readHttps(`https://127.0.0.1:${httpsPort}/live/cam.flv`, certificate.cert, 13 + 11);
    expect(status).toBe(200);
    expect(type).toBe('video/x-flv');
    expect(body.subarray(0, 3)).toEqual(FLV_SIGNATURE);
    expect(body[13]).toBe(18); // the first tag is onMetaData (script data), then the headers and the GOP
  });

  it('serves the same stream over wss:// with the certificate verified', { timeout: TEST_MS }, async () => {
    const { httpsPort } = await liveServer();
    const socket = new WebSocket(`wss://127.0.0.1:${httpsPort}/live/cam.flv`, { ca: certificate.cert });
    const first = await new Promise<Buffer>((resolve, reject) => {
      socket.once('message', (data: Buffer) => resolve(data));
      socket.once('error', reject);
    });
    socket.close();
    expect(first.subarray(0, 3)).toEqual(FLV_SIGNATURE);
  });

  it('is refused by a client that does not trust the certificate', { timeout: TEST_MS }, async () => {
    const { httpsPort } = await liveServer();
    await expect(readHttps(`https://127.0.0.1:${httpsPort}/live/cam.flv`, Buffer.alloc(0), 1)).rejects.toThrow(/certificate|self.signed/i);
  });
});
