/**
 * Report numbers and verification codes, in Crockford's base32 (no I, L, O or U), so that a code
 * read off paper and typed by hand survives the usual confusions: O is read as 0, I and L as 1.
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 20 characters of 5 bits: 100 bits, shown in four groups of five. */
export const VERIFICATION_CODE_CHARS = 20;
export const VERIFICATION_CODE_BITS = VERIFICATION_CODE_CHARS * 5;

/** `HHXY-<China date>-<8 base32 characters>`, e.g. HHXY-20261207-7K2QM9XD. */
export const REPORT_NO_PATTERN = /^HHXY-\d{8}-[0-9A-HJKMNP-TV-Z]{8}$/;

/** Base32 characters from random bytes (5 bits each, most significant first). */
export function base32Chars(bytes: Uint8Array, count: number): string {
  if (bytes.length * 8 < count * 5) throw new Error(`need ${Math.ceil((count * 5) / 8)} bytes for ${count} characters`);
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < count) {
      out += CROCKFORD[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
    if (out.length === count) break;
  }
  return out;
}

/** A verification code for reading: four groups of five, joined by hyphens. */
export function formatVerificationCode(raw: string): string {
  return raw.match(/.{1,5}/g)!.join('-');
}

/** The code as typed (any case, spaces or hyphens, O for 0, I or L for 1), or null when it cannot be one. */
export function normalizeVerificationCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return s.length === VERIFICATION_CODE_CHARS && [...s].every((c) => CROCKFORD.includes(c)) ? s : null;
}

/** The report number as typed (any case, spaces around), or null when it cannot be one. */
export function normalizeReportNo(input: string): string | null {
  const s = input.trim().toUpperCase();
  return REPORT_NO_PATTERN.test(s) ? s : null;
}
