// Checks a form's values against the contract's own zod schema, so the renderer refuses exactly what main would.
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

const sentence = (text: string) => (text.length > 0 ? `${text[0].toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}` : text);

/**
 * The parsed value, or one message per top-level field. `messages` replaces the schema's wording where a
 * field deserves a plainer one ("Enter a stream name."); other fields keep the schema's message.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, messages: FieldErrors = {}): { data: z.output<S> } | { errors: FieldErrors } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= messages[field] ?? sentence(issue.message);
  }
  return { errors };
}
