import { describe, expect, it } from 'vitest';
import { CorsPolicy } from '../../../../src/server/http/cors';

describe('CorsPolicy', () => {
  it('allows any origin with * by default', () => {
    const cors = new CorsPolicy();
    expect(cors.allows('https://a.example')).toBe(true);
    expect(cors.responseHeaders({ origin: 'https://a.example' })).toEqual({ 'Access-Control-Allow-Origin': '*' });
  });

  it('echoes an allowed origin with Vary and gives others nothing to read with', () => {
    const cors = new CorsPolicy(['https://studio.example']);
    expect(cors.allows('https://studio.example')).toBe(true);
    expect(cors.allows('https://studio.example.evil')).toBe(false);
    expect(cors.responseHeaders({ origin: 'https://studio.example' })).toEqual({
      'Access-Control-Allow-Origin': 'https://studio.example',
      Vary: 'Origin',
    });
    expect(cors.responseHeaders({ origin: 'https://evil.example' })).toEqual({ Vary: 'Origin' });
  });

  it('treats a request without Origin as same-origin or non-browser', () => {
    expect(new CorsPolicy([]).allows(undefined)).toBe(true);
  });

  it('answers a preflight with our methods and the headers asked for', () => {
    const headers = new CorsPolicy().preflightHeaders({ 'access-control-request-headers': 'range, x-token' });
    expect(headers).toEqual({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, OPTIONS',
      'Access-Control-Max-Age': '600',
      'Access-Control-Allow-Headers': 'range, x-token',
    });
  });
});
