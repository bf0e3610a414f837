import { describe, expect, it } from 'vitest';
import { dispatch, StudioError, unwrapReply, type RequestHandlers } from '../../../../src/shared/ipc';

// Only the handlers a test calls exist; dispatch must never reach the others.
const handlers = (overrides: Partial<RequestHandlers>): RequestHandlers => overrides as RequestHandlers;

describe('dispatch', () => {
  it('refuses a request name that is not in the contract', async () => {
    expect(await dispatch(handlers({}), 'fs.readFile', '/etc/passwd')).toEqual({ ok: false, error: { code: 'UNKNOWN_REQUEST', message: 'no request named "fs.readFile"' } });
  });

  it('refuses a name inherited from Object.prototype', async () => {
    expect(await dispatch(handlers({}), 'constructor', undefined)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
  });

  it('refuses an input that does not match the schema, naming the field, without calling the handler', async () => {
    let called = false;
    const reply = await dispatch(handlers({ 'server.kick': async () => (called = true) }), 'server.kick', { sessionId: -1 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('sessionId') } });
    expect(called).toBe(false);
  });

  it('refuses unknown fields, so a renderer cannot smuggle options through', async () => {
    const reply = await dispatch(handlers({ 'server.kick': async () => true }), 'server.kick', { sessionId: 1, force: true });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('passes the parsed input, with defaults filled in, to the handler', async () => {
    let seen: unknown;
    await dispatch(handlers({ 'server.accessLog': async (input) => ((seen = input), []) }), 'server.accessLog', {});
    expect(seen).toEqual({ search: '', limit: 200 });
  });

  it('turns a StudioError into an error reply that keeps its code and hint', async () => {
    const reply = await dispatch(
      handlers({ 'server.start': async () => Promise.reject(new StudioError('SERVER_FAILED', 'port 1935 is in use', 'Change the RTMP port')) }),
      'server.start',
      undefined,
    );
    expect(reply).toEqual({ ok: false, error: { code: 'SERVER_FAILED', message: 'port 1935 is in use', hint: 'Change the RTMP port' } });
    expect(() => unwrapReply(reply)).toThrow(expect.objectContaining({ code: 'SERVER_FAILED', hint: 'Change the RTMP port' }));
  });

  it('reports any other failure as INTERNAL instead of throwing', async () => {
    const reply = await dispatch(handlers({ 'server.stop': async () => Promise.reject(new TypeError('boom')) }), 'server.stop', undefined);
    expect(reply).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('answers with the handler value', async () => {
    expect(unwrapReply(await dispatch(handlers({ 'server.kick': async ({ sessionId }) => sessionId === 7 }), 'server.kick', { sessionId: 7 }))).toBe(true);
  });
});
