// A real publisher in one call: the project's RTMP client connects to an app, publishes a stream and sends a key frame.
import { RtmpClient } from '../../src/server/session/rtmp-client';
import { avc } from './media';

/** Connects to `appUrl` (rtmp://host:port/app), publishes `name` with its AVC sequence header and one key frame. */
export async function publishKeyFrame(appUrl: string, name: string): Promise<RtmpClient> {
  const client = await RtmpClient.connect(appUrl, { timeoutMs: 5000 });
  const streamId = await client.createStream();
  await client.publish(streamId, name);
  client.sendMedia('video', streamId, 0, avc.sequenceHeader());
  client.sendMedia('video', streamId, 0, avc.frame(true));
  return client;
}
