import { Injectable } from '@nestjs/common';
import {
  AppError,
  checkUscc,
  ErrorCodes,
  INVEST_NOTICE,
  PARK_CHECK_MAX_CODES,
  riskSummary,
  riskVerdict,
  type ParkCheck,
  type ParkCheckRow,
  type RiskCategory,
} from '@heihe/shared';
import type { Prisma } from '../generated/prisma/client';
import { actorOf, type Principal } from '../auth';
import { chinaDate } from '../common/china-time';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { InvestRepository } from './invest.repository';
import { parkCheckWorkbook } from './lists-export';
import { auditList, staffIdOf } from './lists-support';
import { RelatedRepository } from './related.repository';

const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
type Grade = (typeof GRADES)[number];
type Failure = ParkCheckRow['failures'][number];

/** 入园核查编号: RYHC-<China day>-<id, six digits>. */
export const parkCheckNumber = (id: number, createdAt: Date) =>
  `RYHC-${chinaDate(createdAt).replaceAll('-', '')}-${String(id).padStart(6, '0')}`;

/**
 * The codes of a pasted text or an uploaded .txt/.csv: per line, every ASCII-alphanumeric cell
 * (cells split by whitespace, commas, semicolons, 、 or |) is a code to check; a line with none
 * (a name only, say) is one malformed row, so nothing pasted is silently dropped. A first line
 * that names a column (统一社会信用代码, uscc, code) is a header and skipped.
 */
export function parkCheckInputs(text: string): string[] {
  const out: string[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((line, i) => {
      const trimmed = line.trim();
      if (!trimmed) return;
      if (i === 0 && /代码|uscc|code/i.test(trimmed)) return;
      const cells = trimmed.split(/[\s,，;；、|"']+/).filter(Boolean);
      const codes = cells.filter((c) => /^[0-9A-Za-z-]+$/.test(c));
      if (codes.length) out.push(...codes);
      else out.push(trimmed.slice(0, 60));
    });
  return out;
}

/**
 * 入园企业信用核查 (issue 16, item 9): a batch of USCCs checked in one go. Every code is checked
 * (shape and check character — a failing check character is flagged and the entity still looked
 * up), then every found entity in one read each for its grade and its risk records, judged by the
 * risk scan's shared rule. The credit gate: registered and active, graded at least `minGrade`, no
 * 严重失信 in its window. Each row names its failures; the batch is stored, numbered and audited
 * with its purpose.
 */
@Injectable()
export class ParkCheckService {
  constructor(
    private readonly repo: InvestRepository,
    private readonly related: RelatedRepository,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async run(
    b: { text: string; fileName?: string; park?: string; purpose: string; minGrade: Grade },
    who: Principal,
  ): Promise<ParkCheck> {
    const staffId = staffIdOf(who);
    const inputs = parkCheckInputs(b.text);
    if (!inputs.length)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '未识别到统一社会信用代码：每行一个，或以逗号、空格分隔', [
        { path: 'text', message: '未识别到统一社会信用代码' },
      ]);
    if (inputs.length > PARK_CHECK_MAX_CODES)
      throw new AppError(
        ErrorCodes.VALIDATION_FAILED,
        `一次最多核查 ${PARK_CHECK_MAX_CODES} 个代码，本次 ${inputs.length} 个，请分批核查`,
        [{ path: 'text', message: `超过 ${PARK_CHECK_MAX_CODES} 个代码` }],
      );
    const now = this.clock.now();
    const day = chinaDate(now);
    const checked = inputs.map((input) => ({ input, check: checkUscc(input) }));
    const usccs = [...new Set(checked.flatMap((c) => (c.check.ok ? [c.check.uscc] : [])))];
    const cards = new Map((await this.repo.entitiesByUscc(usccs)).map((e) => [e.uscc, e]));
    const risks = new Map<number, Array<{ category: RiskCategory; underObjection: boolean }>>();
    for (const r of await this.related.riskRecords([...cards.values()].map((e) => e.id))) {
      const v = riskVerdict(r, day);
      if (v.counts) risks.set(r.entityId, [...(risks.get(r.entityId) ?? []), v]);
    }
    const seen = new Map<string, number>();
    const admitted = GRADES.slice(0, GRADES.indexOf(b.minGrade) + 1) as readonly string[];
    const rows: ParkCheckRow[] = checked.map(({ input, check }, i) => {
      const line = i + 1;
      const failures: Failure[] = [];
      const row: ParkCheckRow = {
        line,
        input,
        uscc: null,
        checksumOk: null,
        entityId: null,
        name: null,
        status: null,
        grade: null,
        score: null,
        gatePassed: false,
        flags: [],
        underObjection: 0,
        failures,
      };
      if (!check.ok) {
        failures.push({ code: 'malformed', message: `代码格式不符：${check.reason}` });
        return row;
      }
      row.uscc = check.uscc;
      row.checksumOk = check.checksumOk;
      if (!check.checksumOk)
        failures.push({ code: 'checksum', message: '校验位不符：可能为早期赋码或录入错误，需人工核查' });
      const first = seen.get(check.uscc);
      if (first !== undefined) {
        failures.push({ code: 'duplicate', message: `与第 ${first} 个代码重复` });
        return row;
      }
      seen.set(check.uscc, line);
      const e = cards.get(check.uscc);
      if (!e) {
        failures.push({ code: 'not_found', message: '本市信用信息平台未登记该主体' });
        return row;
      }
      Object.assign(row, { entityId: e.id, name: e.name, status: e.status, grade: e.grade, score: e.score });
      const summary = riskSummary(risks.get(e.id) ?? []);
      row.flags = summary.byCategory.map((c) => ({ code: c.category, label: c.label, count: c.count }));
      row.underObjection = summary.underObjection;
      if (e.status !== 'active')
        failures.push({ code: 'not_active', message: `登记状态为${STATUS[e.status] ?? e.status}` });
      if (!e.grade) failures.push({ code: 'ungraded', message: '尚无信用评价' });
      else if (!admitted.includes(e.grade))
        failures.push({ code: 'grade_below', message: `信用等级 ${e.grade} 级，低于 ${b.minGrade} 级` });
      if (summary.byCategory.some((c) => c.category === 'serious_dishonesty'))
        failures.push({ code: 'serious_dishonesty', message: '公示期内有严重失信主体名单记录' });
      row.gatePassed =
        e.status === 'active' &&
        !!e.grade &&
        admitted.includes(e.grade) &&
        !failures.some((f) => f.code === 'serious_dishonesty');
      return row;
    });
    const passed = rows.filter((r) => r.failures.length === 0).length;
    const actor = actorOf(who);
    const saved = await this.db.tx(async (sql) => {
      const r = await sql.prisma.parkCheck.create({
        data: {
          staffId,
          createdBy: actor.actorId,
          purpose: b.purpose,
          park: b.park ?? '',
          createdAt: now,
          total: rows.length,
          passed,
          failed: rows.length - passed,
          rows: { minGrade: b.minGrade, fileName: b.fileName ?? null, rows } as unknown as Prisma.InputJsonObject,
        },
        select: { id: true },
      });
      await auditList(sql, now, who, {
        action: 'invest.park_check.run',
        objectType: 'park_check',
        objectId: String(r.id),
        purpose: b.purpose,
        detail: {
          number: parkCheckNumber(r.id, now),
          park: b.park ?? '',
          fileName: b.fileName ?? null,
          total: rows.length,
          passed,
          entityIds: rows.flatMap((x) => (x.entityId ? [x.entityId] : [])),
        },
      });
      return r;
    });
    return this.read(saved.id, staffId);
  }

  async get(parkCheckId: number, who: Principal): Promise<ParkCheck> {
    const c = await this.read(parkCheckId, staffIdOf(who));
    await auditList(this.db, this.clock.now(), who, {
      action: 'invest.park_check.view',
      objectType: 'park_check',
      objectId: String(c.parkCheckId),
      purpose: c.purpose,
      detail: { number: c.number },
    });
    return c;
  }

  async list(q: { before?: number; limit: number }, who: Principal) {
    const staffId = staffIdOf(who);
    const rows = await this.db.prisma.parkCheck.findMany({
      where: { staffId, ...(q.before ? { id: { lt: q.before } } : {}) },
      select: {
        id: true,
        createdAt: true,
        createdBy: true,
        purpose: true,
        park: true,
        total: true,
        passed: true,
        failed: true,
        rows: true,
      },
      orderBy: { id: 'desc' },
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    await auditList(this.db, this.clock.now(), who, {
      action: 'invest.park_check.list',
      objectType: 'park_check',
      objectId: null,
      purpose: '查看入园核查列表',
      detail: { results: page.length },
    });
    return {
      items: page.map((r) => this.summary(r)),
      nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
      notice: INVEST_NOTICE,
    };
  }

  async export(parkCheckId: number, who: Principal): Promise<{ number: string; data: Buffer }> {
    const c = await this.read(parkCheckId, staffIdOf(who));
    const data = await parkCheckWorkbook(c);
    await auditList(this.db, this.clock.now(), who, {
      action: 'invest.park_check.export',
      objectType: 'park_check',
      objectId: String(c.parkCheckId),
      purpose: c.purpose,
      detail: { number: c.number, format: 'xlsx' },
    });
    return { number: c.number, data };
  }

  /** The caller's own check; anyone else's answers as missing. */
  private async read(id: number, staffId: number): Promise<ParkCheck> {
    const r = await this.db.prisma.parkCheck.findFirst({ where: { id, staffId } });
    if (!r) throw new AppError(ErrorCodes.NOT_FOUND, '入园核查不存在或不属于您');
    const body = (typeof r.rows === 'string' ? JSON.parse(r.rows) : r.rows) as { rows: ParkCheckRow[] };
    return { ...this.summary(r), rows: body.rows, notice: INVEST_NOTICE };
  }

  private summary(r: {
    id: number;
    createdAt: Date;
    createdBy: string;
    purpose: string;
    park: string;
    total: number;
    passed: number;
    failed: number;
    rows: Prisma.JsonValue;
  }) {
    const body = (typeof r.rows === 'string' ? JSON.parse(r.rows) : r.rows) as { minGrade?: Grade };
    return {
      parkCheckId: r.id,
      number: parkCheckNumber(r.id, r.createdAt),
      createdAt: r.createdAt.toISOString(),
      createdBy: r.createdBy,
      purpose: r.purpose,
      park: r.park,
      minGrade: body.minGrade ?? 'B',
      total: r.total,
      passed: r.passed,
      failed: r.failed,
    };
  }
}

const STATUS: Record<string, string> = { active: '存续', revoked: '吊销', cancelled: '注销' };
