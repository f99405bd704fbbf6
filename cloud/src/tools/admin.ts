import crypto from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { appendAudit, purgeAudit } from '../audit';
import {
  API_CLIENT_KINDS,
  base32Decode,
  createApiClient,
  createStaffAccount,
  isStaffRole,
  resetStaffTotp,
  STAFF_ROLES,
  totp,
  type ApiClientKind,
} from '../auth';
import { industryPrefixSchema, regionPrefixSchema } from '@heihe/shared';
import { SystemClock } from '../common/clock';
import { SecretBox } from '../common/secret-box';
import { loadConfig } from '../config/config';
import type { Sql } from '../db/database';
import { openDatabase } from '../db/open';
import { PiiVault, rekeyIdNumbers } from '../pii';

const USAGE = `npm run admin -- <command> [options]

  create-staff      --username <u> --name <显示名> --role reviewer|admin|investment_officer
                    Prints a generated password and the TOTP otpauth URI, once.
  reset-totp        --username <u>        New TOTP secret (lost phone); clears a lockout.
  disable-staff     --username <u>        Ends the account and all its sessions.
  set-staff-department --username <u> --subscription <推送订阅编号|none>
                    The officer's department: its webhook also receives the officer's 关注预警.
  create-api-client --name <名称> --kind department|bank|association|data_source --scopes a,b
                    --purpose <用途> --legal-basis <依据>   (required but for data_source)
                    [--region <区划前缀>] [--industry <行业前缀>]   (the result feed's scope)
                    Prints the API key, once; only its SHA-256 is stored.
  revoke-api-client --id <n>
  purge-audit       [--days <n>]          Deletes audit entries older than the retention
                                          (AUDIT_RETENTION_DAYS, at least 184).
  totp-now          --username <u>        The current TOTP code (not in production: demo help).
  pii-rekey         [--batch <n>]         Reseals every stored ID number with the current
                                          PII_ENCRYPTION_KEY (older ones in PII_ENCRYPTION_KEYS_OLD),
                                          one audited transaction per batch (default 500); run it
                                          again to finish an interrupted run. Exits 1 if a row fails.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function need(v: string | undefined, name: string): string {
  if (!v) fail(`缺少 --${name}`);
  return v;
}

async function audit(
  db: Sql,
  action: string,
  objectType: string,
  objectId: string,
  detail: Record<string, unknown> = {},
) {
  await appendAudit(db, {
    actorKind: 'system',
    actorId: `cli:${os.userInfo().username}`,
    action,
    objectType,
    objectId,
    detail,
  });
}

/** Staff, API clients, audit retention and ID-number rekeying from the command line; every change is audited. */
async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values: o } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      kind: { type: 'string' },
      scopes: { type: 'string' },
      id: { type: 'string' },
      days: { type: 'string' },
      batch: { type: 'string' },
      purpose: { type: 'string' },
      'legal-basis': { type: 'string' },
      region: { type: 'string' },
      industry: { type: 'string' },
      subscription: { type: 'string' },
    },
  });
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfig();
  const db = await openDatabase(config, { poolSize: 1 });
  const box = new SecretBox(config.TOTP_ENCRYPTION_KEY);
  const clock = new SystemClock();
  const out = (s: string) => process.stdout.write(`${s}\n`);
  try {
    switch (command) {
      case 'create-staff': {
        const role = need(o.role, 'role');
        if (!isStaffRole(role)) fail(`角色应为 ${STAFF_ROLES.join(' | ')}`);
        const password = crypto.randomBytes(12).toString('base64url');
        const s = await createStaffAccount(db, box, {
          username: need(o.username, 'username'),
          displayName: need(o.name, 'name'),
          role,
          password,
        });
        await audit(db, 'staff.create', 'staff_account', String(s.id), { role });
        out(`已创建 ${role} 账号 ${s.username}（#${s.id}）`);
        out(`初始密码（只显示这一次）：${password}`);
        out(`动态口令：在验证器中导入 ${s.otpauthUri}`);
        break;
      }
      case 'reset-totp': {
        const s = await resetStaffTotp(db, box, need(o.username, 'username'));
        if (!s) fail('没有这个账号');
        await audit(db, 'staff.reset_totp', 'staff_account', String(s.id));
        out(`已为 ${s.username} 重置动态口令：在验证器中导入 ${s.otpauthUri}`);
        break;
      }
      case 'disable-staff': {
        const username = need(o.username, 'username');
        const at = clock.now();
        const s = await db.tx(async (sql) => {
          const [s] = await sql.prisma.staffAccount.updateManyAndReturn({
            where: { username, disabledAt: null },
            data: { disabledAt: at },
            select: { id: true },
          });
          if (!s) return null;
          await sql.prisma.authSession.updateMany({
            where: { subjectKind: 'staff', subjectId: s.id, revokedAt: null },
            data: { revokedAt: at },
          });
          await audit(sql, 'staff.disable', 'staff_account', String(s.id));
          return s;
        });
        if (!s) fail('没有这个启用中的账号');
        out(`已停用 #${s.id}，其全部登录已失效`);
        break;
      }
      case 'set-staff-department': {
        const username = need(o.username, 'username');
        const raw = need(o.subscription, 'subscription');
        const subscriptionId = raw === 'none' ? null : Number(raw);
        if (subscriptionId !== null && !(Number.isInteger(subscriptionId) && subscriptionId > 0))
          fail('--subscription 应为推送订阅编号或 none');
        const done = await db.tx(async (sql) => {
          if (subscriptionId !== null) {
            const sub = await sql.prisma.regulatorSubscription.findUnique({
              where: { id: subscriptionId },
              select: { disabledAt: true },
            });
            if (!sub || sub.disabledAt) return 'no-subscription' as const;
          }
          const { count } = await sql.prisma.staffAccount.updateMany({
            where: { username, disabledAt: null },
            data: { departmentSubscriptionId: subscriptionId },
          });
          if (!count) return 'no-staff' as const;
          await audit(sql, 'staff.set_department', 'staff_account', username, { subscriptionId });
          return 'ok' as const;
        });
        if (done === 'no-subscription') fail('没有这个启用中的推送订阅');
        if (done === 'no-staff') fail('没有这个启用中的账号');
        out(
          subscriptionId === null
            ? `${username} 的关注预警不再推送到部门`
            : `${username} 的关注预警将同时推送到推送订阅 #${subscriptionId}`,
        );
        break;
      }
      case 'create-api-client': {
        const kind = need(o.kind, 'kind') as ApiClientKind;
        if (!API_CLIENT_KINDS.includes(kind)) fail(`类型应为 ${API_CLIENT_KINDS.join(' | ')}`);
        const scopes = need(o.scopes, 'scopes')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        // A recipient of results states its purpose and legal basis at registration (issue 17).
        const recipient = kind !== 'data_source';
        const purpose = recipient ? need(o.purpose, 'purpose') : (o.purpose ?? '');
        const legalBasis = recipient ? need(o['legal-basis'], 'legal-basis') : (o['legal-basis'] ?? '');
        const regionPrefix = o.region ?? null;
        const industryPrefix = o.industry ?? null;
        if (regionPrefix !== null && !regionPrefixSchema.safeParse(regionPrefix).success)
          fail('区划前缀应为 2 到 6 位数字');
        if (industryPrefix !== null && !industryPrefixSchema.safeParse(industryPrefix).success)
          fail('行业前缀应为 GB/T 4754 门类字母加至多 4 位数字');
        const c = await createApiClient(db, {
          name: need(o.name, 'name'),
          kind,
          scopes,
          purpose,
          legalBasis,
          regionPrefix,
          industryPrefix,
        });
        await audit(db, 'api_client.create', 'api_client', String(c.id), {
          kind,
          scopes,
          purpose,
          legalBasis,
          regionPrefix,
          industryPrefix,
        });
        out(`已创建 API 客户端 #${c.id}，权限 ${scopes.join(', ')}`);
        out(`API 密钥（只显示这一次，请求头 x-api-key）：${c.apiKey}`);
        break;
      }
      case 'revoke-api-client': {
        const [c] = await db.prisma.apiClient.updateManyAndReturn({
          where: { id: Number(need(o.id, 'id')), revokedAt: null },
          data: { revokedAt: clock.now() },
          select: { id: true },
        });
        if (!c) fail('没有这个有效的 API 客户端');
        await audit(db, 'api_client.revoke', 'api_client', String(c.id));
        out(`已吊销 API 客户端 #${c.id}`);
        break;
      }
      case 'purge-audit': {
        const days = o.days ? Number(o.days) : config.AUDIT_RETENTION_DAYS;
        const n = await purgeAudit(db, days);
        await audit(db, 'audit.purge', 'audit_log', String(days), { purged: n });
        out(`已清除 ${n} 条超过 ${days} 天的审计记录`);
        break;
      }
      case 'totp-now': {
        if (config.NODE_ENV === 'production') fail('生产环境不提供此命令');
        const s = await db.prisma.staffAccount.findUnique({
          where: { username: need(o.username, 'username') },
          select: { totpSecretCipher: true },
        });
        if (!s) fail('没有这个账号');
        out(totp(base32Decode(box.open(s.totpSecretCipher)), clock.now().getTime()));
        break;
      }
      case 'pii-rekey': {
        const batchSize = Number(o.batch ?? 500);
        if (!Number.isInteger(batchSize) || batchSize < 1) fail('--batch 应为正整数');
        const vault = PiiVault.fromConfig(config);
        const r = await rekeyIdNumbers(db, vault, {
          actorId: `cli:${os.userInfo().username}`,
          batchSize,
          onBatch: (b) =>
            out(
              `#${b.firstId}–#${b.lastId}：重新加密 ${b.resealed} 条${b.failed.length ? `，失败 ${b.failed.length} 条` : ''}`,
            ),
        });
        out(`本次用密钥 ${r.keyId} 重新加密 ${r.resealed} 条身份证号`);
        if (r.failed.length)
          throw new Error(
            [
              `${r.failed.length} 条未能重新加密，保持原样：`,
              ...r.failed.map((f) => `  person #${f.id}: ${f.reason}`),
            ].join('\n'),
          );
        break;
      }
      default:
        fail(`未知命令 ${command}`);
    }
  } finally {
    await db.close();
  }
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
