import crypto from 'node:crypto';
import type { Sql } from '../db/database';
import { hashApiKey } from './authenticator';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParams } from './password';
import { staffRole, type StaffRole } from './principal';
import type { SecretBox } from '../common/secret-box';
import { newTotpSecret, otpauthUri } from './totp';

export const API_CLIENT_KINDS = ['department', 'bank', 'association', 'data_source'] as const;
export type ApiClientKind = (typeof API_CLIENT_KINDS)[number];

export interface NewStaff {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
  /** Base32; a fresh one when omitted. */
  totpSecret?: string;
  scrypt?: ScryptParams;
}

export interface CreatedStaff {
  id: number;
  username: string;
  role: StaffRole;
  totpSecret: string;
  otpauthUri: string;
}

/** A staff account with its password hashed and its TOTP secret sealed; the secret is shown once. */
export async function createStaffAccount(sql: Sql, box: SecretBox, s: NewStaff): Promise<CreatedStaff> {
  const totpSecret = s.totpSecret ?? newTotpSecret();
  const row = await sql.prisma.staffAccount.create({
    data: {
      username: s.username,
      displayName: s.displayName,
      role: s.role,
      passwordHash: await hashPassword(s.password, s.scrypt ?? DEFAULT_SCRYPT),
      totpSecretCipher: box.seal(totpSecret),
    },
    select: { id: true },
  });
  return {
    id: row.id,
    username: s.username,
    role: s.role,
    totpSecret,
    otpauthUri: otpauthUri(totpSecret, s.username),
  };
}

/** A new secret and a cleared lockout, e.g. after a lost phone. */
export async function resetStaffTotp(sql: Sql, box: SecretBox, username: string): Promise<CreatedStaff | null> {
  const totpSecret = newTotpSecret();
  const [row] = await sql.prisma.staffAccount.updateManyAndReturn({
    where: { username },
    data: { totpSecretCipher: box.seal(totpSecret), failedLogins: 0, lockedUntil: null },
    select: { id: true, role: true },
  });
  return row
    ? { id: row.id, username, role: staffRole(row.role), totpSecret, otpauthUri: otpauthUri(totpSecret, username) }
    : null;
}

/** 256 random bits, prefixed so a leaked key is recognisable in logs and secret scanners. */
export function newApiKey(): string {
  return `hhk_${crypto.randomBytes(32).toString('base64url')}`;
}

export interface NewApiClient {
  name: string;
  kind: ApiClientKind;
  scopes: string[];
  /** What the recipient uses results for, and the rule that allows it (recorded at registration). */
  purpose?: string;
  legalBasis?: string;
  /** The result feed's scope: GB/T 2260 and GB/T 4754 prefixes (none: the whole city). */
  regionPrefix?: string | null;
  industryPrefix?: string | null;
  /** A known key (demo mode); a fresh one when omitted. */
  apiKey?: string;
}

/** The key is returned once and stored only as its SHA-256. */
export async function createApiClient(sql: Sql, c: NewApiClient): Promise<{ id: number; apiKey: string }> {
  const apiKey = c.apiKey ?? newApiKey();
  const row = await sql.prisma.apiClient.create({
    data: {
      name: c.name,
      kind: c.kind,
      keyHash: hashApiKey(apiKey),
      scopes: c.scopes,
      purpose: c.purpose ?? '',
      legalBasis: c.legalBasis ?? '',
      regionPrefix: c.regionPrefix ?? null,
      industryPrefix: c.industryPrefix ?? null,
    },
    select: { id: true },
  });
  return { id: row.id, apiKey };
}
