import { z } from 'zod';
import { checkIdNumber, normalizeIdNumber, type IdNumberCheckOptions } from './id-number';
import { checkUscc, normalizeUscc } from './uscc';

/**
 * Shared by the API pipe and the mini program forms. `overwrite` keeps these plain string
 * schemas (unlike `transform`), so they still convert to JSON Schema for the OpenAPI document.
 * The output is the normalized code.
 */
export const usccSchema = z
  .string({ error: '请输入统一社会信用代码' })
  .overwrite(normalizeUscc)
  .superRefine((value, ctx) => {
    const result = checkUscc(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  });

/** Pass `today` (from the injected clock) to also reject birth dates in the future. */
export function makeIdNumberSchema(opts: IdNumberCheckOptions = {}) {
  return z
    .string({ error: '请输入身份证号' })
    .overwrite(normalizeIdNumber)
    .superRefine((value, ctx) => {
      const result = checkIdNumber(value, opts);
      if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
    });
}

export const idNumberSchema = makeIdNumberSchema();
