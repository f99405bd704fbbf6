import { Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  INVEST_NOTICE,
  type SavedScreening,
  type ScreeningFilter,
  type ScreeningRun,
} from '@heihe/shared';
import type { Prisma } from '../generated/prisma/client';
import type { Principal } from '../auth';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { InvestService } from './invest.service';
import { auditList, staffIdOf } from './lists-support';
import { screeningWorkbook } from './lists-export';

type Entry = ScreeningRun['items'][number];
type Plain = Omit<Entry, 'chains'>;

/** A run keeps at most this many entities (five pages of screenEntities by score). */
export const SCREENING_RUN_MAX = 500;
const PAGE = 100;

/** The filter in words, for the list and the workbook. */
export function filterText(f: ScreeningFilter, chainName?: (code: string) => string | undefined): string {
  const parts: string[] = [];
  if (f.chain) parts.push(`产业链：${chainName?.(f.chain) ?? f.chain}`);
  if (f.industryCode) parts.push(`行业：${f.industryCode}`);
  if (f.regionCode) parts.push(`区划：${f.regionCode}`);
  if (f.grades) parts.push(`等级：${f.grades.join('、')}`);
  parts.push(`最低等级：${f.minGrade}`);
  parts.push(f.creditGate ? '信用门槛：无严重失信' : '信用门槛：关闭');
  const range = (label: string, lo?: number, hi?: number, unit = '') =>
    lo !== undefined || hi !== undefined ? parts.push(`${label}：${lo ?? '不限'}–${hi ?? '不限'}${unit}`) : 0;
  range('分数', f.minScore, f.maxScore);
  range('注册资本', f.minRegisteredCapital, f.maxRegisteredCapital, ' 元');
  range('实缴资本', f.minPaidInCapital, f.maxPaidInCapital, ' 元');
  range('成立年限', f.minAgeYears, f.maxAgeYears, ' 年');
  range('参保人数', f.minHeadcount, f.maxHeadcount, ' 人');
  return parts.join('；');
}

interface Row {
  id: number;
  name: string;
  filter: Prisma.JsonValue;
  purpose: string;
  createdAt: Date;
  lastRunAt: Date | null;
  lastResult: Prisma.JsonValue | null;
  lastDiff: Prisma.JsonValue | null;
  runs: number;
}

/**
 * 筛选清单 (issue 16, item 9 Lists): an officer's named screenEntities filter, re-run on demand
 * through screenEntities itself (so the same gate, ranking and audit), with what changed since the
 * run before: entities added, removed, and regraded. Exported to Excel with the notice.
 */
@Injectable()
export class ScreeningsService {
  constructor(
    private readonly invest: InvestService,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async save(b: { name: string; filter: ScreeningFilter; purpose: string }, who: Principal): Promise<SavedScreening> {
    const staffId = staffIdOf(who);
    const now = this.clock.now();
    if (b.filter.chain && !(await this.chainNames()).has(b.filter.chain))
      throw new AppError(ErrorCodes.NOT_FOUND, '产业链不存在');
    const row = await this.db.tx(async (sql) => {
      const taken = await sql.prisma.savedScreening.findUnique({
        where: { staffId_name: { staffId, name: b.name } },
        select: { id: true },
      });
      if (taken) throw new AppError(ErrorCodes.CONFLICT, `已有名为“${b.name}”的清单，请换一个名称`);
      const r = await sql.prisma.savedScreening.create({
        data: { staffId, name: b.name, filter: b.filter as Prisma.InputJsonObject, purpose: b.purpose, createdAt: now },
      });
      await auditList(sql, now, who, {
        action: 'invest.screening.save',
        objectType: 'saved_screening',
        objectId: String(r.id),
        purpose: b.purpose,
        detail: { name: b.name, filter: b.filter },
      });
      return r;
    });
    return this.view(row, await this.chainNames());
  }

  async list(who: Principal) {
    const staffId = staffIdOf(who);
    const rows = await this.db.prisma.savedScreening.findMany({ where: { staffId }, orderBy: { id: 'desc' } });
    const names = await this.chainNames();
    await auditList(this.db, this.clock.now(), who, {
      action: 'invest.screening.list',
      objectType: 'saved_screening',
      objectId: null,
      purpose: '查看筛选清单',
      detail: { results: rows.length },
    });
    return { items: rows.map((r) => this.view(r, names)), notice: INVEST_NOTICE };
  }

  async run(screeningId: number, who: Principal): Promise<ScreeningRun> {
    const row = await this.own(screeningId, who);
    const filter = row.filter as unknown as ScreeningFilter;
    const ranAt = this.clock.now();
    const purpose = `${row.purpose}（重新运行清单“${row.name}”）`.slice(0, 200);
    const items: Entry[] = [];
    let cursor: string | undefined;
    let truncated = false;
    for (;;) {
      const page = await this.invest.screen({ ...filter, limit: PAGE, cursor, purpose }, who);
      for (const e of page.items)
        items.push({
          entityId: e.entityId,
          uscc: e.uscc,
          name: e.name,
          grade: e.grade,
          score: e.score,
          chains: e.chains,
        });
      if (!page.nextCursor) break;
      if (items.length >= SCREENING_RUN_MAX) {
        truncated = true;
        break;
      }
      cursor = page.nextCursor;
    }
    const current: Plain[] = items.map(({ chains: _c, ...p }) => p);
    const before = row.lastResult as Plain[] | null;
    const diff = before ? diffOf(before, current) : null;
    const updated = await this.db.tx(async (sql) => {
      const u = await sql.prisma.savedScreening.update({
        where: { id: row.id },
        data: {
          lastRunAt: ranAt,
          lastResult: current as unknown as Prisma.InputJsonArray,
          lastDiff: (diff ?? undefined) as unknown as Prisma.InputJsonObject | undefined,
          runs: { increment: 1 },
        },
      });
      await auditList(sql, ranAt, who, {
        action: 'invest.screening.run',
        objectType: 'saved_screening',
        objectId: String(row.id),
        purpose: row.purpose,
        detail: {
          results: current.length,
          truncated,
          added: diff?.added.length ?? null,
          removed: diff?.removed.length ?? null,
          gradeChanged: diff?.gradeChanged.length ?? null,
        },
      });
      return u;
    });
    return {
      screening: this.view(updated, await this.chainNames()),
      ranAt: ranAt.toISOString(),
      previousRunAt: row.lastRunAt?.toISOString() ?? null,
      items,
      truncated,
      diff,
      notice: INVEST_NOTICE,
    };
  }

  /** The last run and its diff as an Excel workbook; a screening never run is run first. */
  async export(screeningId: number, who: Principal): Promise<{ name: string; data: Buffer }> {
    let row = await this.own(screeningId, who);
    if (!row.lastRunAt) {
      await this.run(screeningId, who);
      row = await this.own(screeningId, who);
    }
    const names = await this.chainNames();
    const view = this.view(row, names);
    const data = await screeningWorkbook({
      screening: view,
      items: (row.lastResult ?? []) as Plain[],
      diff: row.lastDiff as ScreeningRun['diff'],
      exportedAt: this.clock.now(),
      exportedBy: who.kind === 'staff' ? who.username : '',
    });
    await auditList(this.db, this.clock.now(), who, {
      action: 'invest.screening.export',
      objectType: 'saved_screening',
      objectId: String(row.id),
      purpose: row.purpose,
      detail: { format: 'xlsx', lastRunAt: row.lastRunAt?.toISOString() ?? null },
    });
    return { name: row.name, data };
  }

  /** The caller's own screening; anyone else's answers as missing. */
  private async own(screeningId: number, who: Principal): Promise<Row> {
    const staffId = staffIdOf(who);
    const row = await this.db.prisma.savedScreening.findFirst({ where: { id: screeningId, staffId } });
    if (!row) throw new AppError(ErrorCodes.NOT_FOUND, '筛选清单不存在或不属于您');
    return row;
  }

  private async chainNames(): Promise<Map<string, string>> {
    return new Map((await this.invest.chains()).items.map((c) => [c.code, c.name]));
  }

  private view(r: Row, chains: Map<string, string>): SavedScreening {
    const filter = r.filter as unknown as ScreeningFilter;
    return {
      screeningId: r.id,
      name: r.name,
      filter: filter as Record<string, unknown>,
      filterText: filterText(filter, (c) => chains.get(c)),
      purpose: r.purpose,
      createdAt: r.createdAt.toISOString(),
      lastRunAt: r.lastRunAt?.toISOString() ?? null,
      lastCount: Array.isArray(r.lastResult) ? r.lastResult.length : null,
      runs: r.runs,
    };
  }
}

/** What changed between two runs, by entity: new, gone, and a different grade. */
export function diffOf(before: Plain[], after: Plain[]): NonNullable<ScreeningRun['diff']> {
  const was = new Map(before.map((e) => [e.entityId, e]));
  const now = new Map(after.map((e) => [e.entityId, e]));
  return {
    added: after.filter((e) => !was.has(e.entityId)),
    removed: before.filter((e) => !now.has(e.entityId)),
    gradeChanged: after.flatMap((e) => {
      const w = was.get(e.entityId);
      return w && w.grade !== e.grade ? [{ ...e, fromGrade: w.grade, fromScore: w.score }] : [];
    }),
  };
}
