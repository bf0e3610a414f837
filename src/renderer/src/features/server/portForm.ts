// The listener ports as the user types them, checked before they are saved.
import { PORT, type ServerSettings } from '../../../../shared/settings';

export type PortName = 'rtmpPort' | 'rtmpsPort' | 'httpPort';
export type PortDraft = Record<PortName, string>;
export type PortErrors = Partial<Record<PortName, string>>;

export const PORT_LABELS: Record<PortName, string> = { rtmpPort: 'RTMP port', rtmpsPort: 'RTMPS port', httpPort: 'HTTP port' };

export const draftOf = (settings: ServerSettings): PortDraft => ({
  rtmpPort: String(settings.rtmpPort),
  rtmpsPort: String(settings.rtmpsPort),
  httpPort: String(settings.httpPort),
});

/** The ports as numbers, or what is wrong with each: a whole number from 1 to 65535, one listener per port. */
export function checkPorts(draft: PortDraft, rtmpsEnabled: boolean): { ports: Record<PortName, number> } | { errors: PortErrors } {
  const errors: PortErrors = {};
  const ports = {} as Record<PortName, number>;
  for (const name of Object.keys(PORT_LABELS) as PortName[]) {
    const text = draft[name].trim();
    const parsed = PORT.safeParse(text === '' ? Number.NaN : Number(text));
    if (parsed.success) ports[name] = parsed.data;
    else errors[name] = 'Enter a whole number from 1 to 65535.';
  }
  const inUse = new Map<number, PortName>();
  for (const name of ['rtmpPort', 'httpPort', ...(rtmpsEnabled ? ['rtmpsPort' as const] : [])] as PortName[]) {
    const port = ports[name];
    if (port === undefined || errors[name]) continue;
    const other = inUse.get(port);
    if (other) errors[name] = `${PORT_LABELS[other]} already uses ${port}: each listener needs its own port.`;
    else inUse.set(port, name);
  }
  return Object.keys(errors).length > 0 ? { errors } : { ports };
}
