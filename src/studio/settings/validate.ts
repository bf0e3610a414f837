// One way to check settings against a schema: the parsed value, or a StudioError that names the field.
import type { z } from 'zod';
import { StudioError } from '../../shared/ipc/errors';

export function validated<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StudioError('SETTINGS_INVALID', `${issue?.path.join('.') || 'settings'}: ${issue?.message ?? 'invalid'}`, 'the settings were not changed');
}
