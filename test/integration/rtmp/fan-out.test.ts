import { describe, expect, it } from 'vitest';
import { ExVideoPacketType, exVideo, gops, h264AacHeaders, isKeyframe, opus, playedH264AacHeaders, setDataFrame, type Packet } from '../../support/media';
import { useRtmpHarness } from '../../support/rtmp-harness';

const h = useRtmpHarness();

describe('publish to play over RTMP on loopback', { timeout: 15_000 }, () => {
  it('gives every player onMetaData, the AVC and AAC sequence headers, then every frame in order, byte for byte, on its own stream id', async () => {
    const { url, server } = await h.startServer();
    const publisher = await h.publisher(url(), 'cam');
    const headers = h264AacHeaders();
    publisher.send(headers);
    await h.player(url(), 'cam').then((first) => first.inbox.untilMedia(headers.length)); // the headers reached the hub
    const players = await Promise.all([0, 1, 2].map((unusedStreams) => h.player(url(), 'cam', { unusedStreams })));
    const frames = gops({ gops: 3 });
    publisher.send(frames);

    expect(players.map((player) => player.streamId)).toEqual([1, 2, 3]);
    for (const player of players) {
      const received = await player.inbox.untilMedia(headers.length + frames.length);
      expect(received).toEqual([...playedH264AacHeaders(), ...frames]);
      expect(player.inbox.media[0].message).toMatchObject({ type: 'data', values: ['onMetaData', { width: 320, height: 240 }] });
      expect(player.inbox.media.map(({ raw }) => raw.streamId)).toEqual(received.map(() => player.streamId));
      expect(player.inbox.statuses).toEqual(['NetStream.Play.Reset', 'NetStream.Play.Start']);
    }
    expect(server.stats().streams).toMatchObject([{ app: 'live', name: 'cam', codecs: { video: 'H264', audio: 'AAC' }, players: { rtmp: 4 } }]);
  });

  it('starts a late joiner on the cached GOP at once: headers, then the latest key frame and what followed it', async () => {
    const { url } = await h.startServer();
    const publisher = await h.publisher(url(), 'cam');
    const early = await h.player(url(), 'cam');
    const headers = h264AacHeaders();
    const before = gops({ gops: 2, framesPerGop: 5 }); // 10 packets per GOP: video and audio per frame
    publisher.send([...headers, ...before]);
    await early.inbox.untilMedia(headers.length + before.length);

    const late = await h.player(url(), 'cam');
    const cached = await late.inbox.untilMedia(headers.length + 10);
    expect(cached).toEqual([...playedH264AacHeaders(), ...before.slice(10)]);
    expect(isKeyframe(cached[headers.length].payload)).toBe(true);

    const after = gops({ gops: 1, start: 400 });
    publisher.send(after);
    expect(await late.inbox.untilMedia(headers.length + 10 + after.length)).toEqual([...playedH264AacHeaders(), ...before.slice(10), ...after]);
    expect(late.inbox.media).toHaveLength(headers.length + 10 + after.length);
  });

  it.each([
    { codec: 'hvc1' as const, audio: 'Opus' },
    { codec: 'av01' as const, audio: '' },
  ])('passes Enhanced RTMP $codec video and Opus audio through byte-identical and starts late joiners on an Enhanced key frame', async ({ codec, audio }) => {
    const { url, server } = await h.startServer();
    const publisher = await h.publisher(url(), 'ex');
    const early = await h.player(url(), 'ex');
    const headers: Packet[] = [
      { kind: 'data', timestamp: 0, payload: setDataFrame({ videocodecid: codec === 'hvc1' ? 1752589105 : 1635135537 }) },
      { kind: 'video', timestamp: 0, payload: exVideo(codec, ExVideoPacketType.SequenceStart, true, 40) },
      ...(audio ? [{ kind: 'audio' as const, timestamp: 0, payload: opus.sequenceHeader() }] : []),
    ];
    // Inter frames use CodedFramesX (no composition time), key frames CodedFrames: both must pass untouched.
    const video = (keyframe: boolean) => exVideo(codec, keyframe ? ExVideoPacketType.CodedFrames : ExVideoPacketType.CodedFramesX, keyframe, 300);
    const before = gops({ gops: 2, framesPerGop: 4, video, audio: audio ? () => opus.frame() : null });
    publisher.send([...headers, ...before]);
    const played = await early.inbox.untilMedia(headers.length + before.length);
    expect(played.slice(1)).toEqual([...headers.slice(1), ...before]);
    expect(early.inbox.media[0].message).toMatchObject({ type: 'data', values: ['onMetaData', {}] });

    const late = await h.player(url(), 'ex');
    const gopLength = before.length / 2;
    const cached = await late.inbox.untilMedia(headers.length + gopLength);
    expect(cached.slice(1)).toEqual([...headers.slice(1), ...before.slice(gopLength)]);
    const firstFrame = cached[headers.length].payload;
    expect(firstFrame[0] & 0x80).toBe(0x80); // IsExHeader
    expect(isKeyframe(firstFrame)).toBe(true);
    expect(firstFrame.toString('latin1', 1, 5)).toBe(codec);
    expect(server.stats().streams[0].codecs).toEqual({ video: codec, audio });
  });

  it('delivers a publisher whose timestamps cross 0xFFFFFFFF back to 0 (extended timestamps) unchanged and in order', async () => {
    const { url } = await h.startServer();
    const player = await h.player(url(), 'wrap');
    const publisher = await h.publisher(url(), 'wrap');
    await player.inbox.untilStatus('NetStream.Play.PublishNotify');
    const start = 2 ** 32 - 300;
    const headers = h264AacHeaders(start).slice(1);
    // Frames bigger than the 4096-byte chunk size: type 3 continuation chunks repeat the extended timestamp.
    const frames = gops({ gops: 3, start, video: (keyframe) => exVideo('hvc1', ExVideoPacketType.CodedFrames, keyframe, 6000) });
    expect(frames.some((packet) => packet.timestamp >= 0xffffff00) && frames.some((packet) => packet.timestamp < 300)).toBe(true);
    publisher.send([...headers, ...frames]);
    expect(await player.inbox.untilMedia(headers.length + frames.length)).toEqual([...headers, ...frames]);

    const late = await h.player(url(), 'wrap');
    const cached = await late.inbox.untilMedia(headers.length + 10);
    expect(cached.slice(headers.length)).toEqual(frames.slice(-10));
    expect(cached[headers.length].timestamp).toBe(100);
  });
});
