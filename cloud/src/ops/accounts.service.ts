import crypto from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCodes, type ApiClientView, type StaffAccountView } from '@heihe/shared';
import { appendAudit } from '../audit';
import {
  actorOf,
  createApiClient,
  createStaffAccount,
  hashApiKey,
  newApiKey,
  resetStaffTotp,
  staffRole,
  type ApiClientKind,
  type Principal,
  type StaffRole,
} from '../auth';
import { Clock } from '../common/clock';
import { SecretBox } from '../common/secret-box';
import { Database, type Sql } from '../db/database';
import { isoOrNull } from '../db/values';
import type { Prisma } from '../generated/prisma/client';

const STAFF_VISIBLE = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  failedLogins: true,
  lockedUntil: true,
  createdAt: true,
  disabledAt: true,
} satisfies Prisma.StaffAccountSelect;
type StaffRow = Prisma.StaffAccountGetPayload<{ select: typeof STAFF_VISIBLE }>;

const CLIENT_VISIBLE = {
  id: true,
  name: true,
  kind: true,
  scopes: true,
  purpose: true,
  legalBasis: true,
  regionPrefix: true,
  industryPrefix: true,
  createdAt: true,
  revokedAt: true,
} satisfies Prisma.ApiClientSelect;
type ClientRow = Prisma.ApiClientGetPayload<{ select: typeof CLIENT_VISIBLE }>;

const NO_ACCOUNT = '账号不存在';
const NO_CLIENT = 'API 客户端不存在';

/**
 * Staff accounts and API clients, for administrators in the console: what `npm run admin` does,
 * through the API. Every change is audited in its transaction; passwords, TOTP secrets and API
 * keys are returned once and stored only hashed or sealed.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  private staffView(r: StaffRow): StaffAccountView {
    const now = this.clock.now();
    return {
      id: r.id,
      username: r.username,
      displayName: r.displayName,
      role: staffRole(r.role),
      state: r.disabledAt ? 'locked' : r.lockedUntil && r.lockedUntil > now ? 'locked_out' : 'active',
      lockedUntil: r.lockedUntil && r.lockedUntil > now ? r.lockedUntil.toISOString() : null,
      disabledAt: isoOrNull(r.disabledAt),
      failedLogins: r.failedLogins,
      createdAt: r.createdAt.toISOString(),
    };
  }

  async listStaff() {
    const rows = await this.db.prisma.staffAccount.findMany({ select: STAFF_VISIBLE, orderBy: { id: 'asc' } });
    return { items: rows.map((r) => this.staffView(r)) };
  }

  async createStaff(b: { username: string; displayName: string; role: StaffRole }, by: Principal) {
    const password = crypto.randomBytes(12).toString('base64url');
    return this.db.tx(async (sql) => {
      if (await sql.prisma.staffAccount.count({ where: { username: b.username } }))
        throw new AppError(ErrorCodes.USERNAME_TAKEN, `用户名 ${b.username} 已被使用，请换一个`, [
          { path: 'username', message: '用户名已被使用' },
        ]);
      const s = await createStaffAccount(sql, this.box, { ...b, password }).catch((e: unknown) => {
        // Two administrators creating the same name at once: the unique index decides.
        if ((e as { code?: unknown })?.code === 'P2002')
          throw new AppError(ErrorCodes.USERNAME_TAKEN, `用户名 ${b.username} 已被使用，请换一个`);
        throw e;
      });
      await appendAudit(sql, {
        ...actorOf(by),
        action: 'staff.create',
        objectType: 'staff_account',
        objectId: String(s.id),
        detail: { username: b.username, role: b.role },
      });
      const row = await sql.prisma.staffAccount.findUniqueOrThrow({ where: { id: s.id }, select: STAFF_VISIBLE });
      return { account: this.staffView(row), password, totpSecret: s.totpSecret, otpauthUri: s.otpauthUri };
    });
  }

  /** A new TOTP secret (a lost phone), shown once; clears a temporary lockout, as the CLI's reset-totp. */
  async resetTotp(id: number, by: Principal) {
    return this.db.tx(async (sql) => {
      const a = await this.lockStaffRow(sql, id);
      const s = await resetStaffTotp(sql, this.box, a.username);
      if (!s) throw new AppError(ErrorCodes.NOT_FOUND, NO_ACCOUNT);
      await appendAudit(sql, {
        ...actorOf(by),
        action: 'staff.reset_totp',
        objectType: 'staff_account',
        objectId: String(id),
      });
      const row = await sql.prisma.staffAccount.findUniqueOrThrow({ where: { id }, select: STAFF_VISIBLE });
      return { account: this.staffView(row), password: null, totpSecret: s.totpSecret, otpauthUri: s.otpauthUri };
    });
  }

  /** Locks the account: no sign-in, and every session it has ends now. Never one's own. */
  async lockStaff(id: number, by: Principal): Promise<StaffAccountView> {
    if (by.kind === 'staff' && by.staffId === id)
      throw new AppError(ErrorCodes.ACCOUNT_STATE, '不能锁定自己的账号，请由其他管理员操作');
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      const a = await this.lockStaffRow(sql, id);
      if (a.disabledAt) throw new AppError(ErrorCodes.ACCOUNT_STATE, `账号 ${a.username} 已处于锁定状态`);
      const row = await sql.prisma.staffAccount.update({
        where: { id },
        data: { disabledAt: at },
        select: STAFF_VISIBLE,
      });
      const ended = await sql.prisma.authSession.updateMany({
        where: { subjectKind: 'staff', subjectId: id, revokedAt: null },
        data: { revokedAt: at },
      });
      await appendAudit(
        sql,
        {
          ...actorOf(by),
          action: 'staff.lock',
          objectType: 'staff_account',
          objectId: String(id),
          detail: { sessionsEnded: ended.count },
        },
        { now: at },
      );
      return this.staffView(row);
    });
  }

  /** Lifts an administrator's lock and a temporary lockout after failed sign-ins alike. */
  async unlockStaff(id: number, by: Principal): Promise<StaffAccountView> {
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      const a = await this.lockStaffRow(sql, id);
      const lockedOut = a.lockedUntil !== null && a.lockedUntil > at;
      if (!a.disabledAt && !lockedOut) throw new AppError(ErrorCodes.ACCOUNT_STATE, `账号 ${a.username} 未被锁定`);
      const row = await sql.prisma.staffAccount.update({
        where: { id },
        data: { disabledAt: null, lockedUntil: null, failedLogins: 0 },
        select: STAFF_VISIBLE,
      });
      await appendAudit(
        sql,
        {
          ...actorOf(by),
          action: 'staff.unlock',
          objectType: 'staff_account',
          objectId: String(id),
          detail: { was: a.disabledAt ? 'locked' : 'locked_out' },
        },
        { now: at },
      );
      return this.staffView(row);
    });
  }

  private async lockStaffRow(sql: Sql, id: number) {
    // Raw SQL: a row lock, so two administrators' changes to one account apply one after the other.
    await sql.query(`SELECT 1 FROM staff_account WHERE id = $1 FOR UPDATE`, [id]);
    const a = await sql.prisma.staffAccount.findUnique({ where: { id }, select: STAFF_VISIBLE });
    if (!a) throw new AppError(ErrorCodes.NOT_FOUND, NO_ACCOUNT);
    return a;
  }

  // ---- API clients ---------------------------------------------------------------------------

  private clientView(r: ClientRow): ApiClientView {
    return {
      ...r,
      kind: r.kind as ApiClientView['kind'],
      createdAt: r.createdAt.toISOString(),
      revokedAt: isoOrNull(r.revokedAt),
    };
  }

  async listClients() {
    const rows = await this.db.prisma.apiClient.findMany({ select: CLIENT_VISIBLE, orderBy: { id: 'asc' } });
    return { items: rows.map((r) => this.clientView(r)) };
  }

  async createClient(
    b: {
      name: string;
      kind: ApiClientKind;
      scopes: string[];
      purpose: string;
      legalBasis: string;
      regionPrefix: string | null;
      industryPrefix: string | null;
    },
    by: Principal,
  ) {
    return this.db.tx(async (sql) => {
      const c = await createApiClient(sql, b);
      await appendAudit(sql, {
        ...actorOf(by),
        action: 'api_client.create',
        objectType: 'api_client',
        objectId: String(c.id),
        detail: {
          kind: b.kind,
          scopes: b.scopes,
          purpose: b.purpose,
          legalBasis: b.legalBasis,
          regionPrefix: b.regionPrefix,
          industryPrefix: b.industryPrefix,
        },
      });
      const row = await sql.prisma.apiClient.findUniqueOrThrow({ where: { id: c.id }, select: CLIENT_VISIBLE });
      return { client: this.clientView(row), apiKey: c.apiKey };
    });
  }

  /** Its key is refused from now on; the registration stays for the record. */
  async disableClient(id: number, by: Principal): Promise<ApiClientView> {
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      const c = await this.lockClientRow(sql, id);
      if (c.revokedAt) throw new AppError(ErrorCodes.ACCOUNT_STATE, `“${c.name}”已停用`);
      const row = await sql.prisma.apiClient.update({ where: { id }, data: { revokedAt: at }, select: CLIENT_VISIBLE });
      await appendAudit(
        sql,
        { ...actorOf(by), action: 'api_client.revoke', objectType: 'api_client', objectId: String(id) },
        { now: at },
      );
      return this.clientView(row);
    });
  }

  /** A new key, shown once; the old one stops working at once. */
  async rotateClientKey(id: number, by: Principal) {
    return this.db.tx(async (sql) => {
      const c = await this.lockClientRow(sql, id);
      if (c.revokedAt) throw new AppError(ErrorCodes.ACCOUNT_STATE, `“${c.name}”已停用，不能更换密钥`);
      const apiKey = newApiKey();
      const row = await sql.prisma.apiClient.update({
        where: { id },
        data: { keyHash: hashApiKey(apiKey) },
        select: CLIENT_VISIBLE,
      });
      await appendAudit(sql, {
        ...actorOf(by),
        action: 'api_client.rotate_key',
        objectType: 'api_client',
        objectId: String(id),
      });
      return { client: this.clientView(row), apiKey };
    });
  }

  private async lockClientRow(sql: Sql, id: number) {
    // Raw SQL: a row lock, so a rotation and a disable of one client apply one after the other.
    await sql.query(`SELECT 1 FROM api_client WHERE id = $1 FOR UPDATE`, [id]);
    const c = await sql.prisma.apiClient.findUnique({ where: { id }, select: CLIENT_VISIBLE });
    if (!c) throw new AppError(ErrorCodes.NOT_FOUND, NO_CLIENT);
    return c;
  }
}
