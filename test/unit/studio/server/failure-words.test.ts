import { describe, expect, it } from 'vitest';
import { HostError } from '../../../../src/server/host/host-error';
import { StudioError } from '../../../../src/shared/ipc/errors';
import { explainFailure, reasonText, studioError } from '../../../../src/studio/server/failure-words';

const PORTS = { rtmp: 1935, http: 8000, rtmps: 1936 };

describe('explainFailure', () => {
  it('names the setting whose port another program holds', () => {
    const words = explainFailure('listen EADDRINUSE: address already in use 127.0.0.1:1935', PORTS);
    expect(reasonText(words)).toBe('Another program uses port 1935: change the RTMP port in Server settings');
    expect(explainFailure('listen EADDRINUSE: address already in use 0.0.0.0:1936', PORTS).hint).toBe('Change the RTMPS port in Server settings.');
  });

  it.each([
    ['listen EACCES: permission denied 0.0.0.0:80', { ...PORTS, http: 80 }, 'Port 80 needs administrator rights: choose a port above 1023 for the HTTP port in Server settings'],
    ['killed by SIGKILL', PORTS, 'The server process was stopped from outside (SIGKILL)'],
    ['exited with code 3', PORTS, 'The server process ended unexpectedly (code 3)'],
    ['HOST_FATAL: out of memory', PORTS, 'The server hit an internal error: out of memory'],
    ['gave up after 10 restart attempts', PORTS, 'The server failed 10 times in a row and was stopped: start it again from the Server screen; if it keeps failing, check the ports in Server settings'],
    ['no answer to start within 20000 ms', PORTS, 'The server process did not start in time: start it again; a busy computer can be slow to start it'],
    ['something new', PORTS, 'something new'],
  ])('explains %s', (reason, ports, text) => {
    expect(reasonText(explainFailure(reason, ports))).toBe(text);
  });
});

describe('studioError', () => {
  it.each([
    [new HostError('HOST_NOT_RUNNING', 'the server is restarting'), 'SERVER_NOT_RUNNING'],
    [new HostError('HOST_TIMEOUT', 'no answer'), 'SERVER_FAILED'],
    [new HostError('HOST_STATE', 'the host is starting'), 'CONFLICT'],
    [new HostError('HOST_START_FAILED', 'listen EADDRINUSE: address already in use 127.0.0.1:8000'), 'SERVER_FAILED'],
    [new Error('surprise'), 'INTERNAL'],
  ])('turns %s into %s, with a hint where there is one', (error, code) => {
    expect(studioError(error, PORTS)).toMatchObject({ name: 'StudioError', code });
  });

  it('gives a port clash its words and hint', () => {
    expect(studioError(new HostError('HOST_START_FAILED', 'listen EADDRINUSE: address already in use 127.0.0.1:8000'), PORTS).toBody()).toEqual({
      code: 'SERVER_FAILED',
      message: 'Another program uses port 8000',
      hint: 'Change the HTTP port in Server settings.',
    });
  });

  it('passes a StudioError through', () => {
    const error = new StudioError('CERTIFICATE_INVALID', 'bad');
    expect(studioError(error, PORTS)).toBe(error);
  });
});
