import { normalizeIdNumber } from './id-number';

/**
 * PIPL Art. 28 makes the ID number sensitive personal information: screens and logs show it
 * masked. An 18-character number keeps 4 + 4 characters (2311**********123X); anything shorter
 * keeps at most a quarter at each end, so a mask never reveals more than 8 characters.
 */
export function maskIdNumber(idNumber: string): string {
  const chars = Array.from(normalizeIdNumber(idNumber));
  const keep = Math.min(4, Math.floor(chars.length / 4));
  return (
    chars.slice(0, keep).join('') + '*'.repeat(chars.length - 2 * keep) + chars.slice(chars.length - keep).join('')
  );
}

/** 张三 → 张*, 欧阳娜娜 → 欧***; a one-character name is fully masked. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return (chars[0] ?? '') + '*'.repeat(chars.length - 1);
}
