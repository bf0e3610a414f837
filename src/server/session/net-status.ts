import type { AmfObject } from '../rtmp/amf';

/** onStatus info objects (RTMP 1.0 §7.2.2, NetStream/NetConnection status codes). */
export type StatusCode =
  | 'NetConnection.Connect.Success'
  | 'NetConnection.Connect.Rejected'
  | 'NetStream.Publish.Start'
  | 'NetStream.Publish.BadName'
  | 'NetStream.Publish.Unauthorized'
  | 'NetStream.Unpublish.Success'
  | 'NetStream.Play.Reset'
  | 'NetStream.Play.Start'
  | 'NetStream.Play.Failed'
  | 'NetStream.Play.Stop'
  | 'NetStream.Play.PublishNotify'
  | 'NetStream.Play.UnpublishNotify';

const ERRORS: ReadonlySet<StatusCode> = new Set<StatusCode>([
  'NetConnection.Connect.Rejected',
  'NetStream.Publish.BadName',
  'NetStream.Publish.Unauthorized',
  'NetStream.Play.Failed',
]);

export const statusInfo = (code: StatusCode, description: string, extra: AmfObject = {}): AmfObject => ({
  level: ERRORS.has(code) ? 'error' : 'status',
  code,
  description,
  ...extra,
});
