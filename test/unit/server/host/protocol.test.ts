import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSecurityDocument } from '../../../../src/server/auth/security-document';
import { MAX_LOG_LINE, RESULT_CHECKS, parseChildMessage, parseRequest } from '../../../../src/server/host/protocol';

// Shapes only: whether the PEM parses is the server's to check.
const PEM = { certPem: '-----BEGIN CERTIFICATE-----\n…', keyPem: '-----BEGIN PRIVATE KEY-----\n…' };
const SECURITY = defaultSecurityDocument();

const ADDRESSES = { rtmp: { address: '127.0.0.1', family: 'IPv4', port: 1935 }, http: null, rtmps: null, https: null, proxy: null };

describe('parseRequest', () => {
  it.each([
    { kind: 'request', id: 1, method: 'start', options: {} },
    { kind: 'request', id: 2, method: 'start', options: { host: '127.0.0.1', rtmpPort: 0, httpPort: null, limits: { idleTimeoutMs: 5000 }, writeCoalesceMs: 0, corsOrigins: ['http://localhost'] } },
    { kind: 'request', id: 3, method: 'stop' },
    { kind: 'request', id: 4, method: 'stats' },
    { kind: 'request', id: 5, method: 'kick', sessionId: 12 },
    { kind: 'request', id: 6, method: 'start', options: { rtmpsPort: 0, security: SECURITY, certificate: PEM } },
    { kind: 'request', id: 7, method: 'security', document: SECURITY },
    { kind: 'request', id: 8, method: 'certificate', certificate: PEM },
  ])('accepts %j', (message) => {
    expect(parseRequest(message)).toEqual({ ok: true, value: message });
  });

  it.each([
    ['a string', 'stats', null, 'a request must be an object'],
    ['null', null, null, 'a request must be an object'],
    ['an array', [1], null, 'a request must be an object'],
    ['a reply', { kind: 'reply', id: 1, method: 'stats' }, 1, 'kind must be "request"'],
    ['no id', { kind: 'request', method: 'stats' }, null, 'id must be a whole number'],
    ['a negative id', { kind: 'request', id: -1, method: 'stats' }, null, 'id must be a whole number'],
    ['a fractional id', { kind: 'request', id: 1.5, method: 'stats' }, null, 'id must be a whole number'],
    ['an unknown method', { kind: 'request', id: 1, method: 'exec' }, 1, 'unknown method "exec"'],
    ['an inherited method name', { kind: 'request', id: 1, method: 'toString' }, 1, 'unknown method "toString"'],
    ['an extra field', { kind: 'request', id: 1, method: 'stats', sessionId: 3 }, 1, 'stats takes no sessionId'],
    ['start without options', { kind: 'request', id: 1, method: 'start' }, 1, 'options must be an object'],
    ['an option the process does not take', { kind: 'request', id: 1, method: 'start', options: { proxy: {} } }, 1, 'proxy is not an option the server process accepts'],
    ['an RTMPS port below 0', { kind: 'request', id: 1, method: 'start', options: { rtmpsPort: -1 } }, 1, 'rtmpsPort must be 0-65535 or null'],
    ['a start whose security document has an unknown field', { kind: 'request', id: 1, method: 'start', options: { security: { ...SECURITY, admin: true } } }, 1, 'security: unknown field "admin"'],
    ['a start with a certificate that is not an object', { kind: 'request', id: 1, method: 'start', options: { certificate: 'PEM' } }, 1, 'certificate must be an object {certPem, keyPem}'],
    ['security without a document', { kind: 'request', id: 2, method: 'security' }, 2, 'security: security document must be a JSON object'],
    ['security with a document missing a field', { kind: 'request', id: 2, method: 'security', document: { ...SECURITY, users: undefined } }, 2, 'security: missing field "users"'],
    ['security with a bad policy', { kind: 'request', id: 2, method: 'security', document: { ...SECURITY, policy: { default: { publish: 'maybe', play: 'open' } } } }, 2, 'security: policy.default.publish must be "token" or "open", got "maybe"'],
    ['security with an extra field', { kind: 'request', id: 2, method: 'security', document: SECURITY, settings: {} }, 2, 'security takes no settings'],
    ['certificate without its key', { kind: 'request', id: 3, method: 'certificate', certificate: { certPem: PEM.certPem } }, 3, 'certificate.keyPem must be PEM text of at most 65536 characters'],
    ['certificate with an empty chain', { kind: 'request', id: 3, method: 'certificate', certificate: { ...PEM, certPem: '' } }, 3, 'certificate.certPem must be PEM text of at most 262144 characters'],
    ['certificate with a key too long', { kind: 'request', id: 3, method: 'certificate', certificate: { ...PEM, keyPem: 'k'.repeat(64 * 1024 + 1) } }, 3, 'certificate.keyPem must be PEM text of at most 65536 characters'],
    ['certificate with a passphrase field', { kind: 'request', id: 3, method: 'certificate', certificate: { ...PEM, passphrase: 'x' } }, 3, 'certificate.passphrase is not a certificate field'],
    ['a port above 65535', { kind: 'request', id: 1, method: 'start', options: { rtmpPort: 65536 } }, 1, 'rtmpPort must be 0-65535 or null'],
    ['a port as text', { kind: 'request', id: 1, method: 'start', options: { httpPort: '8000' } }, 1, 'httpPort must be 0-65535 or null'],
    ['an unknown limit', { kind: 'request', id: 1, method: 'start', options: { limits: { maxEverything: 1 } } }, 1, 'limits.maxEverything is not a limit'],
    ['a negative limit', { kind: 'request', id: 1, method: 'start', options: { limits: { maxChunkSize: -1 } } }, 1, 'limits.maxChunkSize must be a whole number'],
    ['an infinite count', { kind: 'request', id: 1, method: 'start', options: { maxConnections: Infinity } }, 1, 'maxConnections must be a whole number'],
    ['origins that are not text', { kind: 'request', id: 1, method: 'start', options: { corsOrigins: [1] } }, 1, 'corsOrigins must be a list of strings'],
    ['kick without a session id', { kind: 'request', id: 9, method: 'kick' }, 9, 'sessionId must be a whole number'],
    ['kick with a text session id', { kind: 'request', id: 9, method: 'kick', sessionId: '3' }, 9, 'sessionId must be a whole number'],
  ])('rejects %s, keeping the id when there is one', (_name, message, id, reason) => {
    expect(parseRequest(message)).toEqual({ ok: false, id, reason });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), (message) => {
        expect(parseRequest(message).ok).toBe(false);
      }),
    );
    fc.assert(fc.property(fc.record({ kind: fc.constant('request'), id: fc.nat(), method: fc.constantFrom('start', 'stop', 'kick'), options: fc.anything(), sessionId: fc.anything() }), (message) => void parseRequest(message)));
    fc.assert(fc.property(fc.record({ kind: fc.constant('request'), id: fc.nat(), method: fc.constant('security'), document: fc.anything() }), (message) => void parseRequest(message)));
    fc.assert(fc.property(fc.record({ kind: fc.constant('request'), id: fc.nat(), method: fc.constant('certificate'), certificate: fc.anything() }), (message) => void parseRequest(message)));
    // A document that is almost right, one field at a time wrong.
    const field = fc.constantFrom(...(Object.keys(SECURITY) as (keyof typeof SECURITY)[]));
    fc.assert(fc.property(field, fc.anything(), (key, value) => void parseRequest({ kind: 'request', id: 1, method: 'security', document: { ...SECURITY, [key]: value } })));
  });
});

describe('parseChildMessage', () => {
  it.each([
    { kind: 'reply', id: 1, ok: true, result: null },
    { kind: 'reply', id: null, ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: 'bad' } },
    { kind: 'event', event: 'ready', addresses: ADDRESSES },
    { kind: 'event', event: 'log', line: '{"event":"server.start"}' },
    { kind: 'event', event: 'fatal', error: { code: 'HOST_FATAL', message: 'boom' } },
  ])('accepts %j', (message) => {
    expect(parseChildMessage(message)).toEqual({ ok: true, value: message });
  });

  it.each([
    ['a reply with neither result nor error', { kind: 'reply', id: 1, ok: true }],
    ['an error with a code the protocol does not have', { kind: 'reply', id: 1, ok: false, error: { code: 'EVIL', message: 'x' } }],
    ['a reply with a text id', { kind: 'reply', id: '1', ok: true, result: 1 }],
    ['a ready event with a port out of range', { kind: 'event', event: 'ready', addresses: { ...ADDRESSES, rtmp: { address: '127.0.0.1', family: 'IPv4', port: 70_000 } } }],
    ['a ready event without every listener', { kind: 'event', event: 'ready', addresses: { rtmp: null } }],
    ['a log line over the limit', { kind: 'event', event: 'log', line: 'x'.repeat(MAX_LOG_LINE + 1) }],
    ['an unknown event', { kind: 'event', event: 'reboot' }],
    ['an unknown kind', { kind: 'request', id: 1, method: 'stop' }],
  ])('rejects %s', (_name, message) => {
    expect(parseChildMessage(message).ok).toBe(false);
  });

  it('never throws, whatever arrives', () => {
    fc.assert(fc.property(fc.anything(), (message) => void parseChildMessage(message)));
  });
});

describe('RESULT_CHECKS', () => {
  it('tells each method answer from the wrong shape', () => {
    expect(RESULT_CHECKS.start(ADDRESSES)).toBe(true);
    expect(RESULT_CHECKS.start({})).toBe(false);
    expect(RESULT_CHECKS.stop(null)).toBe(true);
    expect(RESULT_CHECKS.stop(false)).toBe(false);
    expect(RESULT_CHECKS.kick(true)).toBe(true);
    expect(RESULT_CHECKS.kick(1)).toBe(false);
    expect(RESULT_CHECKS.stats({ streams: [], connections: { total: 0, rtmp: 0 } })).toBe(true);
    expect(RESULT_CHECKS.stats({ streams: {} })).toBe(false);
    expect(RESULT_CHECKS.security(null)).toBe(true);
    expect(RESULT_CHECKS.security(true)).toBe(false);
    expect(RESULT_CHECKS.certificate(null)).toBe(true);
    expect(RESULT_CHECKS.certificate({})).toBe(false);
  });
});
