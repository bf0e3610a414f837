// The non-secret settings: one schema, its defaults, and the migrations that bring an older file up to it.
import { z } from 'zod';

export const PORT = z.number().int().min(1).max(65535);

export const ServerSettingsSchema = z.object({
  rtmpPort: PORT.default(1935),
  httpPort: PORT.default(8000),
  rtmpsEnabled: z.boolean().default(true),
  rtmpsPort: PORT.default(1936),
  /** Off by default: the server listens on 127.0.0.1 only until the user opens it to the network. */
  lanExposed: z.boolean().default(false),
  /** Start the server with the app. */
  autoStart: z.boolean().default(true),
  /** How far a connect token's ttoken may lie from now, either way. */
  tokenWindowSeconds: z.number().int().min(10).max(86_400).default(300),
});

export const Requirement = z.enum(['token', 'open']);

export const PolicySchema = z.object({
  publish: Requirement.default('token'),
  play: Requirement.default('token'),
});

export const CaptureSettingsSchema = z.object({
  videoDeviceId: z.string().max(512).nullable().default(null),
  audioDeviceId: z.string().max(512).nullable().default(null),
  width: z.number().int().min(160).max(3840).default(1280),
  height: z.number().int().min(120).max(2160).default(720),
  frameRate: z.number().int().min(1).max(60).default(30),
  videoBitrateKbps: z.number().int().min(200).max(20_000).default(2500),
  keyframeIntervalSeconds: z.number().min(0.5).max(10).default(2),
  /** Stream-copy the recorder's H.264 when it fits the output; otherwise (or when false) re-encode with x264. */
  preferCopy: z.boolean().default(true),
  app: z.string().min(1).max(128).default('live'),
  stream: z.string().min(1).max(128).default('studio'),
});

export const PreviewSettingsSchema = z.object({
  transport: z.enum(['ws-flv', 'http-flv']).default('ws-flv'),
  /** Latency chasing: above this many seconds behind live the player catches up. */
  maxLatencySeconds: z.number().min(0.3).max(10).default(1.5),
});

export const WindowStateSchema = z.object({
  width: z.number().int().min(400).max(10_000).default(1200),
  height: z.number().int().min(300).max(10_000).default(800),
  x: z.number().int().nullable().default(null),
  y: z.number().int().nullable().default(null),
  maximized: z.boolean().default(false),
});

export const SettingsSchema = z.object({
  server: ServerSettingsSchema.prefault({}),
  policy: PolicySchema.prefault({}),
  capture: CaptureSettingsSchema.prefault({}),
  preview: PreviewSettingsSchema.prefault({}),
  window: WindowStateSchema.prefault({}),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type ServerSettings = Settings['server'];
export type CaptureSettings = Settings['capture'];
export type PreviewSettings = Settings['preview'];

/** A partial update from the renderer: any section, any of its fields. */
export const SettingsPatchSchema = z
  .object({
    server: ServerSettingsSchema.partial(),
    policy: PolicySchema.partial(),
    capture: CaptureSettingsSchema.partial(),
    preview: PreviewSettingsSchema.partial(),
    window: WindowStateSchema.partial(),
  })
  .partial()
  .strict();

export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const defaultSettings = (): Settings => SettingsSchema.parse({});
