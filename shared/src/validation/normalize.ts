/**
 * Codes typed on a phone often arrive in full-width form (２３１１, ｘ) from Chinese IMEs;
 * NFKC folds them to ASCII before the strict checks run.
 */
export function normalizeCode(value: string): string {
  return value.normalize('NFKC').trim().toUpperCase();
}
