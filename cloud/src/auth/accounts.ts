import crypto from 'node:crypto';
import type { Sql } from '../db/database';
import { hashApiKey } from './authenticator';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParams } from './password';
import type { StaffRole } from './principal';
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
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO staff_account (username, display_name, role, password_hash, totp_secret_cipher)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [
      s.username,
      s.displayName,
      s.role,
      await hashPassword(s.password, s.scrypt ?? DEFAULT_SCRYPT),
      box.seal(totpSecret),
    ],
  );
  return {
    id: row!.id,
    username: s.username,
    role: s.role,
    totpSecret,
    otpauthUri: otpauthUri(totpSecret, s.username),
  };
}

/** A new secret and a cleared lockout, e.g. after a lost phone. */
export async function resetStaffTotp(sql: Sql, box: SecretBox, username: string): Promise<CreatedStaff | null> {
  const totpSecret = newTotpSecret();
  const [row] = await sql.query<{ id: number; role: StaffRole }>(
    `UPDATE staff_account SET totp_secret_cipher = $2, failed_logins = 0, locked_until = NULL WHERE username = $1 RETURNING id, role`,
    [username, box.seal(totpSecret)],
  );
  return row
    ? { id: row.id, username, role: row.role, totpSecret, otpauthUri: otpauthUri(totpSecret, username) }
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
  /** A known key (demo mode); a fresh one when omitted. */
  apiKey?: string;
}

/** The key is returned once and stored only as its SHA-256. */
export async function createApiClient(sql: Sql, c: NewApiClient): Promise<{ id: number; apiKey: string }> {
  const apiKey = c.apiKey ?? newApiKey();
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO api_client (name, kind, key_hash, scopes) VALUES ($1, $2, $3, $4::text[]) RETURNING id`,
    [c.name, c.kind, hashApiKey(apiKey), c.scopes],
  );
  return { id: row!.id, apiKey };
}
