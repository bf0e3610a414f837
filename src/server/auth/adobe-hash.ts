import { createHash } from 'node:crypto';

const md5Base64 = (...parts: (string | Buffer)[]): string => {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(part);
  return md5.digest('base64');
};

/**
 * First half of Adobe's authmod=adobe (librtmp rtmp.c PublisherAuth, FFmpeg rtmpproto.c
 * do_adobe_auth): base64(md5(user + salt + password)), the strings concatenated as sent. Whoever
 * holds it can answer any challenge: it is password-equivalent for authmod=adobe.
 */
export const adobeSaltedDigest = (user: string, salt: string, password: string | Buffer): string => md5Base64(user, salt, password);

/**
 * Second half: base64(md5(saltedDigest + opaque + clientChallenge)). Clients hash the server's
 * opaque when it sent one and its challenge otherwise; the server sends both equal.
 */
export const adobeResponse = (saltedDigest: string, opaque: string, clientChallenge: string): string =>
  md5Base64(saltedDigest, opaque, clientChallenge);
