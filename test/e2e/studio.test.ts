// The studio end to end: the real renderer in Chromium, driven by roles and labels, on the real studio services in
// Node (the preload's API bridged by the harness), with the real media server process and real ffmpeg.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { childFfmpegPids } from '../support/child-ffmpeg';
import { probeLive } from '../support/probe';
import { framesAdvance, useStudioSessions, type OpenStudio } from './support/studio-session';

const sessions = useStudioSessions();
const UI_MS = 30_000;

const openTab = (page: Page, name: string) => page.getByRole('tab', { name }).click();

/** A signed play URL for app/stream, issued by the studio's keys service as the Keys screen would. */
async function playUrl({ services }: OpenStudio, app: string, stream: string): Promise<string> {
  const { share } = await services.studio.handlers['keys.issueCredential']({ kind: 'signed-link', permission: 'play', app, stream, ttlSeconds: 600, label: 'e2e probe' });
  return share.play!.rtmp;
}

/** Studio screen: the smallest camera size (the machine has 2 cores), then Go live, until the stepper says Live. */
async function goLive(page: Page): Promise<void> {
  await openTab(page, 'Studio');
  await page.getByLabel('Resolution').selectOption({ label: '640 × 360 (360p)' });
  await page.getByRole('button', { name: 'Go live' }).click();
  await page.getByRole('status').filter({ hasText: /^Live\.$/ }).waitFor({ timeout: UI_MS });
}

describe('Airlock Studio end to end', { timeout: 150_000 }, () => {
  it('goes live from the fake camera and microphone: the preview moves and the stream reads back as H.264 + AAC with keyframes at most 2 s apart', async () => {
    const studio = await sessions.open();
    const { page } = studio.page;
    await goLive(page);
    await expect.poll(() => page.getByLabel('Encoder video').textContent(), { timeout: UI_MS }).toBe('H.264 as recorded (copied)');
    await studio.page.screenshot('studio-live');

    await openTab(page, 'Preview');
    const preview = page.getByLabel('Live preview');
    const [probed] = await Promise.all([probeLive(await playUrl(studio, 'live', 'studio'), 7), framesAdvance(preview, 30, UI_MS)]);
    await studio.page.screenshot('preview-live');
    expect(probed.codecs).toEqual({ video: 'h264', audio: 'aac' });
    expect(probed.keyframes.length, JSON.stringify(probed)).toBeGreaterThanOrEqual(3);
    // At most 2 s, give or take FLV's millisecond timestamps. MediaRecorder puts a keyframe on the first frame at or after
    // its videoKeyFrameIntervalDuration, so asking for exactly 2 s yields gaps of 2 s plus up to a frame.
    const gaps = probed.keyframes.slice(1).map((at, i) => Number((at - probed.keyframes[i]!).toFixed(3)));
    expect(Math.max(...gaps), `keyframe gaps ${gaps.join(', ')} s`).toBeLessThanOrEqual(2.001);
    await openTab(page, 'Server');
    await page.getByText('live/studio', { exact: true }).filter({ visible: true }).first().waitFor({ timeout: UI_MS });
    await studio.page.screenshot('server-live');
    expect(studio.page.problems).toEqual([]);
  });

  it('restarts the encoder’s ffmpeg when it is killed, and the stream is published again', async () => {
    const studio = await sessions.open();
    const { page } = studio.page;
    await goLive(page);
    const publishes = () => studio.services.studio.server.accessLog({ search: 'live/studio', limit: 100 }).filter((entry) => entry.action === 'publish' && entry.outcome === 'allowed').length;
    await expect.poll(publishes, { timeout: UI_MS }).toBe(1);
    const restarts = Number(await page.getByLabel('Encoder restarts').textContent());
    const [pid] = childFfmpegPids('capture');
    expect(pid, 'one capture ffmpeg').toBeDefined();
    process.kill(pid!, 'SIGKILL');
    const statuses = () => JSON.stringify(studio.services.events.filter((event) => event.name === 'encoder.status').map(({ payload }) => payload));
    await expect.poll(() => page.getByLabel('Encoder restarts').textContent(), { timeout: UI_MS, message: statuses() }).toBe(String(restarts + 1));
    await expect.poll(publishes, { timeout: UI_MS, message: statuses() }).toBe(2);
    await expect.poll(() => page.getByLabel('Encoder state').textContent(), { timeout: UI_MS }).toBe('Running');
    expect(childFfmpegPids('capture')).not.toContain(pid);
    await studio.page.screenshot('studio-restarted');
    const probed = await probeLive(await playUrl(studio, 'live', 'studio'), 3);
    expect(probed.codecs).toEqual({ video: 'h264', audio: 'aac' });
    expect(probed.videoFrames).toBeGreaterThan(10);
    await openTab(page, 'Preview');
    await framesAdvance(page.getByLabel('Live preview'), 30, UI_MS);
  });

  it('plays through a play link created on the Keys screen, and refuses it once revoked there', async () => {
    const studio = await sessions.open();
    const { page } = studio.page;
    await openTab(page, 'Preview');
    await page.getByRole('button', { name: 'Run test bench (RTMP)' }).click();
    await page.getByRole('status').filter({ hasText: /^Publishing the test pattern over RTMP/ }).waitFor({ timeout: UI_MS });

    await openTab(page, 'Keys & tokens');
    const form = page.getByRole('form', { name: 'New key, link or token' });
    await form.getByLabel('Type').selectOption({ label: 'Signed link' });
    await form.getByLabel('Permission').selectOption({ label: 'Play' });
    await form.getByLabel('App').fill('live');
    await form.getByLabel('Stream').fill('test-bench');
    await form.getByRole('button', { name: 'Create' }).click();
    const link = page.getByRole('listitem', { name: 'Signed link live/test-bench' });
    await link.getByRole('button', { name: 'Reveal' }).click();
    const url = (await link.locator('.share-row', { hasText: 'RTMP play URL' }).locator('code').textContent({ timeout: UI_MS }))!;
    await studio.page.screenshot('keys-play-link');
    expect(url).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live\/test-bench\?.*sig=/);

    const played = await probeLive(url, 2);
    expect(played.codecs.video).toBe('h264');
    expect(played.videoFrames).toBeGreaterThan(0);

    await link.getByRole('button', { name: 'Revoke' }).click();
    await link.getByText('Revoked', { exact: true }).waitFor({ timeout: UI_MS });
    await expect(probeLive(url, 2)).rejects.toThrow();
    expect(studio.services.studio.server.accessLog({ search: 'live/test-bench', limit: 50 }).some((entry) => entry.outcome === 'refused' && entry.action === 'play')).toBe(true);
  });

  it('runs the test bench: the preview moves and shows the measured latency', async () => {
    const studio = await sessions.open();
    const { page } = studio.page;
    await openTab(page, 'Preview');
    await page.getByRole('button', { name: 'Run test bench (RTMP)' }).click();
    await framesAdvance(page.getByLabel('Live preview'), 30, UI_MS);
    await expect.poll(() => page.getByLabel('Latency').textContent(), { timeout: UI_MS }).toMatch(/^\d+\.\d\d s$/);
    await studio.page.screenshot('preview-test-bench');
  });

  it('keeps a changed setting across a restart of the services', async () => {
    const first = await sessions.open();
    await openTab(first.page.page, 'Studio');
    await first.page.page.getByLabel('Frame rate').selectOption({ label: '25 fps' });
    await first.services.waitForEvent('settings.changed', (settings) => settings.capture.frameRate === 25, 'the frame rate saved');
    await sessions.quit(first);

    const again = await sessions.open(first.dataDir);
    await openTab(again.page.page, 'Studio');
    await expect.poll(() => again.page.page.getByLabel('Frame rate').inputValue(), { timeout: UI_MS }).toBe('25');
    expect((await again.services.studio.handlers['settings.get'](undefined)).capture.frameRate).toBe(25);
  });
});
