import type { FormInstance, FormRule } from 'antd';
import type { z } from 'zod';
import { ApiError } from '@web/api/errors';

/** A zod issue path as antd names a field: ['correction', 'fields', 'summary']. */
const fieldName = (path: readonly PropertyKey[]) => path.map((p) => (typeof p === 'number' ? p : String(p)));

/**
 * The antd rule for one field, checked with the shared zod schema of the whole request (the same
 * schema the API validates with), so that a field's message is the API's message, beside it.
 * `toBody` turns the form's values into the request body when they differ.
 */
export function zodRule<S extends z.ZodType>(
  schema: S,
  toBody: (values: Record<string, unknown>) => unknown = (v) => v,
): FormRule {
  return ({ getFieldsValue }) => ({
    validator: async (rule) => {
      const field = (rule as { field?: string }).field ?? '';
      const result = schema.safeParse(toBody(getFieldsValue(true) as Record<string, unknown>));
      if (result.success) return;
      const issue = result.error.issues.find((i) => fieldName(i.path).join('.') === field);
      if (issue) throw new Error(issue.message);
    },
  });
}

/** Whole-form check before sending: every issue goes beside its field; the rest are returned. */
export function validateWith<S extends z.ZodType>(
  form: FormInstance,
  schema: S,
  body: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; messages: string[] } {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, messages: placeIssues(form, result.error.issues) };
}

/** The server's validation details, placed the same way as the client's. */
export function showServerError(form: FormInstance, e: unknown): string[] {
  if (!(e instanceof ApiError) || e.details.length === 0) return [];
  return placeIssues(
    form,
    e.details.map((d) => ({ path: d.path.split('.').filter(Boolean), message: d.message })),
  );
}

function placeIssues(form: FormInstance, issues: { path: readonly PropertyKey[]; message: string }[]): string[] {
  const unplaced: string[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const i of issues) {
    const name = fieldName(i.path);
    if (name.length > 0 && form.getFieldInstance(name) !== undefined) fields.push({ name, errors: [i.message] });
    else unplaced.push(i.message);
  }
  form.setFields(fields);
  return unplaced;
}
