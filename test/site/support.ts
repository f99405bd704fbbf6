import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Ingestor } from '../../cloud/src/ingest/ingestor';
import { Scorer } from '../../cloud/src/scoring/scorer';
import { chinaDate } from '../../cloud/src/common/china-time';
import { REPO_ROOT } from '../../cloud/src/config/config';
import { SITE_BUILD_DIR } from '../../cloud/src/site';
import { OutboxRelay } from '../../cloud/src/outbox';
import type { Harness, SeededEnterprise } from '../support/harness';

export const daysAgo = (n: number) => chinaDate(new Date(Date.now() - n * 86_400_000));

/** Rows through ingestion, then the entity re-scored as a delivery does. */
export async function deliverRows(h: Harness, e: SeededEnterprise, rows: Array<Record<string, unknown>>) {
  const ingestor = new Ingestor(h.db, h.vault);
  const batch = await ingestor.startBatch('site-e2e');
  const res = await ingestor.applyChunk(
    batch,
    rows.map((r, i) => ({ line: i + 1, raw: { type: 'record', sourceSystem: 'site-e2e', uscc: e.uscc, ...r } })),
  );
  await ingestor.finishBatch(batch, 'done');
  if (res.rejected) throw new Error(JSON.stringify(res.errors));
  await new Scorer(h.db).rescore([e.entityId], 'site-e2e.delivery');
}

/**
 * The relay's passes until nothing is due: the automatic withdrawals are its site handlers of
 * `record.negative` and `grade.changed` (ADR 0027 step 4), after the delivery's transaction.
 */
export function drainRelay(h: Harness) {
  return h.app.get(OutboxRelay).drain();
}

/** One penalty (or another negative record) delivered and scored. */
export function deliverPenalty(h: Harness, e: SeededEnterprise, key: string, severity = 'general', kind = 'penalty') {
  return deliverRows(h, e, [
    {
      sourceId: `${e.uscc}-${key}`,
      kind,
      ...(kind === 'penalty' ? { severity } : {}),
      occurredOn: daysAgo(3),
      summary: `未按规定履行义务（${key}）`,
      documentNo: `黑市监罚〔2026〕${key}号`,
      authority: '黑河市市场监督管理局',
    },
  ]);
}

/** Tax grade A and a large tax paid last year: enough to lift a demo enterprise to grade A. */
export async function makeGradeA(h: Harness, e: SeededEnterprise) {
  const year = Number(daysAgo(0).slice(0, 4));
  await deliverRows(h, e, [
    { sourceId: `${e.uscc}-TG`, kind: 'tax_grade', grade: 'A', amount: year - 1, occurredOn: `${year}-04-15` },
    { sourceId: `${e.uscc}-TP`, kind: 'tax_paid', amount: 2e7, occurredOn: `${year - 1}-12-31` },
  ]);
}

export async function gradeOf(h: Harness, entityId: number): Promise<string | null> {
  const [r] = await h.db.query<{ grade: string | null }>('SELECT grade FROM entity_score WHERE entity_id = $1', [
    entityId,
  ]);
  return r?.grade ?? null;
}

/** Time passes: the case's notice period ends (the clock is the system's in the harness). */
export async function endNotice(h: Harness, caseId: number) {
  await h.db.query(`UPDATE typical_case SET notice_until = now() - interval '1 minute' WHERE id = $1`, [caseId]);
}

function newest(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const s = fs.statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

/** The site's build (client assets and server renderer), made when older than its sources. */
export function ensureSiteBuild(): void {
  const render = path.join(SITE_BUILD_DIR, 'server', 'render.cjs');
  const sources = Math.max(...['web/site', 'shared/src'].map((p) => newest(path.join(REPO_ROOT, p))));
  if (fs.existsSync(render) && fs.statSync(render).mtimeMs > sources) return;
  const r = spawnSync('npm', ['run', 'build:site', '-w', 'web'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '' },
  });
  if (r.status !== 0)
    throw new Error(`site build failed (${r.status}):\n${(r.stdout ?? '').slice(-3000)}\n${r.stderr}`);
}

/** A 1×1 PNG. */
export const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export const STORY =
  '该企业连续五年按时足额纳税，坚持诚信经营，主动公开产品质量承诺，在疫情期间保供稳价，未发生任何违法失信行为。' +
  '企业建立了覆盖采购、生产、销售的信用管理制度，设立专职信用管理岗位，带动上下游合作社签订履约承诺书。';

/** The record is repaired (信用修复 approved), and the entity re-scored. */
export async function markRepaired(h: Harness, e: SeededEnterprise, key: string) {
  await h.db.query(
    `UPDATE credit_record_version v SET status = 'repaired' FROM credit_record r
      WHERE v.record_id = r.id AND r.source_id = $1 AND v.superseded_at IS NULL`,
    [`${e.uscc}-${key}`],
  );
  await new Scorer(h.db).rescore([e.entityId], 'site-e2e.repair');
}
