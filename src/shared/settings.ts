// The non-secret settings: one schema with its defaults, and the patch the renderer may send. No secrets here:
// those go through a SecretVault. The file on disk and its migrations live in src/studio/settings.
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

const Requirement = z.enum(['token', 'open']);

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

export type ServerSettings = z.infer<typeof ServerSettingsSchema>;

/** Each listener that is on needs its own port: two on one port and the server cannot start. */
function listenersOnDistinctPorts({ server }: { server: ServerSettings }, context: z.RefinementCtx): void {
  const listeners: ['rtmpPort' | 'httpPort' | 'rtmpsPort', string][] = [['rtmpPort', 'RTMP'], ['httpPort', 'HTTP']];
  if (server.rtmpsEnabled) listeners.push(['rtmpsPort', 'RTMPS']);
  const owners = new Map<number, string>();
  for (const [field, name] of listeners) {
    const owner = owners.get(server[field]);
    if (owner !== undefined) context.addIssue({ code: 'custom', path: ['server', field], message: `port ${server[field]} is already the ${owner} port: each listener needs its own` });
    else owners.set(server[field], name);
  }
}

export const SettingsSchema = z
  .object({
    server: ServerSettingsSchema.prefault({}),
    policy: PolicySchema.prefault({}),
    capture: CaptureSettingsSchema.prefault({}),
    preview: PreviewSettingsSchema.prefault({}),
    window: WindowStateSchema.prefault({}),
  })
  .superRefine(listenersOnDistinctPorts);

export type Settings = z.infer<typeof SettingsSchema>;
export type CaptureSettings = Settings['capture'];
export type PreviewSettings = Settings['preview'];
export type WindowState = Settings['window'];

/** A section's fields as a patch may carry them: each optional, with no default (a default would overwrite what the user set), unknown names refused. */
type PatchOf<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer Inner> ? Inner : S[K]> };

function patchOf<S extends z.ZodRawShape>(section: z.ZodObject<S>): z.ZodObject<PatchOf<S>, z.core.$strict> {
  const fields = Object.entries(section.shape).map(([name, field]) => [name, z.optional(field instanceof z.ZodDefault ? field.unwrap() : field)]);
  return z.strictObject(Object.fromEntries(fields)) as z.ZodObject<PatchOf<S>, z.core.$strict>;
}

/** A partial update from the renderer: any section, any of its fields. */
export const SettingsPatchSchema = z
  .object({
    server: patchOf(ServerSettingsSchema),
    policy: patchOf(PolicySchema),
    capture: patchOf(CaptureSettingsSchema),
    preview: patchOf(PreviewSettingsSchema),
    window: patchOf(WindowStateSchema),
  })
  .partial()
  .strict();

export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const defaultSettings = (): Settings => SettingsSchema.parse({});
