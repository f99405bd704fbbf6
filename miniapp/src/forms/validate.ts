/**
 * The structural slice of a zod schema the forms use. Forms pass the shared schemas themselves
 * (deep-imported from @heihe/shared/dist inside subpackages), so the phone and the API validate
 * with one definition; this file stays free of any runtime import.
 */
export interface SafeParser<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** The first message per top-level field ('' for issues about the whole value). */
export type FieldErrors = Record<string, string>;

export type Validation<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

export function validate<T>(schema: SafeParser<T>, value: unknown): Validation<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '';
    if (!(key in errors)) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

/** Validates one field of a form as the user leaves it: the whole value, keeping that field's message. */
export function validateField<T>(schema: SafeParser<T>, value: unknown, field: string): string | undefined {
  const result = validate(schema, value);
  return result.ok ? undefined : result.errors[field];
}
