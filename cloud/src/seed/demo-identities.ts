import crypto from 'node:crypto';
import { makeIdNumber, makeUscc } from '@heihe/shared';
import {
  base32Encode,
  createApiClient,
  createStaffAccount,
  hashApiKey,
  otpauthUri,
  type ApiClientKind,
  type StaffRole,
} from '../auth';
import { SecretBox } from '../common/secret-box';
import type { AppConfig } from '../config/config';
import type { Database } from '../db/database';
import { IngestRun } from '../ingest';
import { LOAN_SCOPE, seedDemoLoanProducts } from '../loans';
import type { PiiVault } from '../pii';

/**
 * Demo identities with known credentials, for `npm start` in demo mode and for the e2e harness:
 * two enterprises whose legal representatives a newcomer can verify as, the three staff roles,
 * and two bank API clients with their 信易贷 products. Everything here is public: production refuses demo mode, and this
 * function refuses production.
 */

export interface DemoEnterprise {
  uscc: string;
  name: string;
  regionCode: string;
  legalRep: { name: string; idNumber: string };
}

// Birth days 30 and 31 never come out of the population generator (days 1–28), so these people
// cannot collide with generated ones.
export const DEMO_ENTERPRISES: readonly [DemoEnterprise, DemoEnterprise] = [
  {
    uscc: makeUscc('91231102DM0000001'),
    name: '黑河示范粮油有限公司',
    regionCode: '231102',
    legalRep: { name: '王建华', idNumber: makeIdNumber('23110219800131101') },
  },
  {
    uscc: makeUscc('91231181DM0000002'),
    name: '黑河示范边贸有限公司',
    regionCode: '231181',
    legalRep: { name: '李秀梅', idNumber: makeIdNumber('23118119850330202') },
  },
];

const DEMO_STAFF: ReadonlyArray<{ role: StaffRole; username: string; displayName: string; password: string }> = [
  { role: 'admin', username: 'demo-admin', displayName: '演示管理员', password: 'Demo-Admin-2026' },
  { role: 'reviewer', username: 'demo-reviewer', displayName: '演示审核员', password: 'Demo-Reviewer-2026' },
  { role: 'investment_officer', username: 'demo-officer', displayName: '演示招商专员', password: 'Demo-Officer-2026' },
];

const DEMO_BANKS: ReadonlyArray<{
  name: string;
  kind: ApiClientKind;
  scopes: string[];
  apiKey: string;
  purpose: string;
  legalBasis: string;
}> = [
  {
    name: '黑河示范银行（演示）',
    kind: 'bank',
    scopes: ['evaluations:read', 'statistics:read', 'recommendations:read', LOAN_SCOPE],
    apiKey: 'hhk_demo_bank_key_not_secret',
    purpose: '信易贷：对经企业授权的主体开展信用贷款审查',
    legalBasis: '《黑河市公共信用综合评价结果应用办法》；企业数据授权书',
  },
  {
    name: '黑河农商银行（演示）',
    kind: 'bank',
    scopes: ['recommendations:read', LOAN_SCOPE],
    apiKey: 'hhk_demo_bank2_key_not_secret',
    purpose: '信易贷：重点推介主体的信用贷款营销与审查',
    legalBasis: '《黑河市公共信用综合评价结果应用办法》；企业数据授权书',
  },
];

/** A fixed, per-account TOTP secret, so the printed otpauth URI stays valid across restarts. */
export function demoTotpSecret(username: string): string {
  return base32Encode(crypto.createHash('sha1').update(`heihe-demo-totp:${username}`).digest());
}

export interface DemoIdentities {
  enterprises: Array<DemoEnterprise & { entityId: number }>;
  staff: Array<{ role: StaffRole; username: string; password: string; totpSecret: string; otpauthUri: string }>;
  apiClients: Array<{ name: string; kind: ApiClientKind; scopes: string[]; apiKey: string }>;
}

function demoRows(e: DemoEnterprise, asOfYear: number): unknown[] {
  const key = (k: string) => `DEMO-${e.uscc}-${k}`;
  const rec = (k: string, fields: Record<string, unknown>) => ({
    type: 'record',
    sourceSystem: 'demo',
    sourceId: key(k),
    uscc: e.uscc,
    ...fields,
  });
  return [
    {
      type: 'registration',
      sourceSystem: 'demo',
      sourceId: key('REG'),
      uscc: e.uscc,
      name: e.name,
      entityType: '有限责任公司',
      status: 'active',
      establishedOn: '2012-04-16',
      registeredCapital: 5_000_000,
      paidInCapital: 5_000_000,
      industryCode: 'C1331',
      regionCode: e.regionCode,
      legalRepName: e.legalRep.name,
      legalRepIdNumber: e.legalRep.idNumber,
    },
    // Dated last year or earlier, so no record lies in the future whenever the demo starts.
    rec(`AR${asOfYear - 2}`, {
      kind: 'annual_report',
      amount: asOfYear - 2,
      category: 'on_time',
      occurredOn: `${asOfYear - 1}-05-20`,
    }),
    rec(`TG${asOfYear - 2}`, {
      kind: 'tax_grade',
      grade: 'A',
      amount: asOfYear - 2,
      occurredOn: `${asOfYear - 1}-04-15`,
    }),
    rec(`SI${asOfYear - 1}`, {
      kind: 'social_insurance',
      amount: 36,
      category: 'normal',
      occurredOn: `${asOfYear - 1}-12-15`,
    }),
  ];
}

/** Loads the demo enterprises through the ordinary ingestion path (idempotent) and scores them. */
export async function seedDemoEnterprises(
  db: Database,
  vault: PiiVault,
  asOfYear = new Date().getUTCFullYear(),
): Promise<DemoIdentities['enterprises']> {
  const run = await IngestRun.start(db, vault, 'demo-identities', { chunkSize: 100 });
  let line = 0;
  for (const e of DEMO_ENTERPRISES) for (const raw of demoRows(e, asOfYear)) await run.push({ line: ++line, raw });
  const report = await run.finish();
  if (report.rejected) throw new Error(`demo enterprises rejected: ${JSON.stringify(report.errors)}`);
  const rows = await db.prisma.entity.findMany({
    where: { uscc: { in: DEMO_ENTERPRISES.map((e) => e.uscc) } },
    select: { id: true, uscc: true },
  });
  const ids = new Map(rows.map((r) => [r.uscc, r.id]));
  return DEMO_ENTERPRISES.map((e) => ({ ...e, entityId: ids.get(e.uscc)! }));
}

/**
 * Creates (once) the demo enterprises, staff accounts and bank client, and returns their
 * credentials for `npm start` to print (formatDemoIdentities).
 */
export async function seedDemoIdentities(
  db: Database,
  vault: PiiVault,
  config: Pick<AppConfig, 'NODE_ENV' | 'TOTP_ENCRYPTION_KEY'>,
): Promise<DemoIdentities> {
  if (config.NODE_ENV === 'production') throw new Error('demo identities are refused in production');
  const enterprises = await seedDemoEnterprises(db, vault);
  const box = new SecretBox(config.TOTP_ENCRYPTION_KEY);
  const staff: DemoIdentities['staff'] = [];
  for (const s of DEMO_STAFF) {
    const totpSecret = demoTotpSecret(s.username);
    const exists = await db.prisma.staffAccount.count({ where: { username: s.username } });
    if (!exists) await createStaffAccount(db, box, { ...s, totpSecret });
    staff.push({
      role: s.role,
      username: s.username,
      password: s.password,
      totpSecret,
      otpauthUri: otpauthUri(totpSecret, s.username),
    });
  }
  const bankIds = (await seedDemoBanks(db)) as [number, number];
  await seedDemoLoanProducts(db, bankIds);
  return { enterprises, staff, apiClients: DEMO_BANKS.map((b) => ({ ...b })) };
}

/**
 * The demo banks (API clients with known keys), created once; a bank made before a scope was
 * added to the list gets it. Their ids, in DEMO_BANKS order.
 */
export async function seedDemoBanks(db: Database): Promise<number[]> {
  const ids: number[] = [];
  for (const b of DEMO_BANKS) {
    const found = await db.prisma.apiClient.findUnique({ where: { keyHash: hashApiKey(b.apiKey) } });
    if (!found) ids.push((await createApiClient(db, b)).id);
    else {
      const missing = b.scopes.filter((s) => !found.scopes.includes(s));
      if (missing.length)
        await db.prisma.apiClient.update({ where: { id: found.id }, data: { scopes: [...found.scopes, ...missing] } });
      ids.push(found.id);
    }
  }
  return ids;
}

/** The demo banks with their keys, for tests that act as them. */
export const DEMO_BANK_KEYS = DEMO_BANKS.map((b) => ({ name: b.name, apiKey: b.apiKey }));

/** The lines `npm start` prints in demo mode. */
export function formatDemoIdentities(d: DemoIdentities): string {
  const lines = ['演示账号（仅演示模式；生产环境拒绝演示模式）：', '  企业法定代表人（小程序/H5 登录后身份核验）：'];
  for (const e of d.enterprises)
    lines.push(
      `    ${e.name}  统一社会信用代码 ${e.uscc}  法定代表人 ${e.legalRep.name}  身份证号 ${e.legalRep.idNumber}`,
    );
  lines.push(
    '  工作人员（密码 + 动态口令；把 otpauth 链接导入任一验证器，或 npm run admin -- totp-now --username <账号>）：',
  );
  for (const s of d.staff) lines.push(`    ${s.role.padEnd(18)} ${s.username} / ${s.password}  ${s.otpauthUri}`);
  lines.push('  API 客户端（x-api-key）：');
  for (const c of d.apiClients) lines.push(`    ${c.name}  ${c.apiKey}  scopes: ${c.scopes.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
