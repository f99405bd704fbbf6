import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  base32Chars,
  ErrorCodes,
  formatVerificationCode,
  reportSections,
  RESULT_NOTICE,
  sectionCounts,
  VERIFICATION_CODE_CHARS,
  type CreatedCreditReport,
  type CreditReport,
  type CreditReportList,
  type CreditReportSummary,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { chinaDate } from '../common/china-time';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { FileStorage } from '../evidence';
import type { ReportDocument } from './pdf';
import { ReportRenderer } from './renderer';
import { ReportRepository, summaryOf, type EntitySnapshot, type ReportRow } from './report.repository';
import { usccBucket } from '../db/shard';

/** Who issues the report, as its cover and 报告说明 name it. */
export const REPORT_ISSUER = '黑河市公共信用信息平台';

/** The storage of issued report PDFs: its own DI token, the evidence FileStorage adapter. */
export abstract class ReportStorage extends FileStorage {}

const CST_OFFSET_MS = 8 * 3600_000;
/** 'YYYY年MM月DD日 HH:mm' in China Standard Time, as the cover prints it. */
function chineseDateTime(at: Date, withTime = true): string {
  const s = new Date(at.getTime() + CST_OFFSET_MS).toISOString();
  const date = `${s.slice(0, 4)}年${s.slice(5, 7)}月${s.slice(8, 10)}日`;
  return withTime ? `${date} ${s.slice(11, 16)}` : date;
}

const STATUS_NAMES: Record<EntitySnapshot['status'], string> = { active: '存续', revoked: '吊销', cancelled: '注销' };

function yuan(amount: string): string {
  const n = Number(amount);
  if (!Number.isFinite(n)) return `${amount} 元`;
  if (n !== 0 && n % 10_000 === 0) return `${(n / 10_000).toLocaleString('zh-CN')} 万元`;
  return `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;
}

/** Canonical JSON (keys sorted): the data hash must not depend on key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

export const sha256Hex = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');

/** A report as its owner and staff see it. */
export function reportView(row: ReportRow, now: Date): CreditReport {
  return {
    id: row.id,
    reportNo: row.reportNo,
    entityId: row.entityId,
    enterpriseName: row.enterpriseName,
    uscc: row.uscc,
    purpose: row.purpose,
    generatedAt: row.generatedAt.toISOString(),
    validUntil: row.validUntil.toISOString(),
    expired: now > row.validUntil,
    requestedBy: row.requestedBy === 'staff' ? 'staff' : 'enterprise',
    summary: summaryOf(row),
    sha256: row.sha256,
    size: row.size,
    pages: row.pages,
    dataHash: row.dataHash,
    notice: RESULT_NOTICE,
  };
}

/**
 * The public credit report: made from the entity's data as of now, rendered in a thread, stored
 * once (file and row, both immutable) and read back only by its enterprise and the agency's staff.
 * Every request makes a new report, with its own number, code and stated purpose, even when the
 * data has not changed: the purpose and validity are the requester's, and `dataHash` shows that
 * two reports carry the same facts.
 */
@Injectable()
export class CreditReportService {
  private readonly repo: ReportRepository;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly storage: ReportStorage,
    private readonly renderer: ReportRenderer,
    @Inject(Config.token)
    private readonly config: Pick<AppConfig, 'PUBLIC_BASE_URL' | 'PORT' | 'REPORT_VALID_DAYS'>,
  ) {
    this.repo = new ReportRepository(db);
  }

  /** The public origin the QR code points at. */
  publicOrigin(): string {
    return (this.config.PUBLIC_BASE_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/+$/, '');
  }

  async create(who: Principal, entityId: number, purpose: string): Promise<CreatedCreditReport> {
    if (who.kind === 'user' && !who.entityIds.includes(entityId))
      throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问');
    if (who.kind !== 'user' && !(who.kind === 'staff' && (who.role === 'reviewer' || who.role === 'admin')))
      throw new AppError(ErrorCodes.FORBIDDEN, '无权出具信用报告');
    const entity = await this.repo.entity(entityId);
    if (!entity) throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问');
    const now = this.clock.now();
    const today = chinaDate(now);
    const [evaluation, records] = await Promise.all([this.repo.evaluation(entityId), this.repo.records(entityId)]);
    const sections = reportSections(records, today);
    const summary: CreditReportSummary = {
      grade: (evaluation?.grade ?? null) as CreditReportSummary['grade'],
      score: evaluation?.score ?? null,
      modelVersion: evaluation?.modelVersion ?? null,
      evaluatedAt: evaluation?.asOf.toISOString() ?? null,
      records: sectionCounts(sections),
    };
    const dataHash = sha256Hex(
      canonical({ entity, evaluation: evaluation && { ...evaluation, asOf: evaluation.asOf.toISOString() }, sections }),
    );

    const reportNo = `HHXY-${today.replace(/-/g, '')}-${base32Chars(crypto.randomBytes(5), 8)}`;
    const code = base32Chars(crypto.randomBytes(13), VERIFICATION_CODE_CHARS);
    const verifyPage = `${this.publicOrigin()}/site/verify`;
    const verifyUrl = `${verifyPage}?no=${encodeURIComponent(reportNo)}&code=${code}`;
    const validUntil = new Date(now.getTime() + this.config.REPORT_VALID_DAYS * 86_400_000);
    const doc: ReportDocument = {
      reportNo,
      generatedAt: chineseDateTime(now),
      validUntil: chineseDateTime(validUntil),
      generatedAtInstant: now,
      purpose,
      issuer: REPORT_ISSUER,
      verificationCode: formatVerificationCode(code),
      verifyUrl,
      verifyPage,
      validDays: this.config.REPORT_VALID_DAYS,
      entity: {
        name: entity.name,
        uscc: entity.uscc,
        type: entity.type,
        status: STATUS_NAMES[entity.status],
        establishedOn: entity.establishedOn,
        registeredCapital: yuan(entity.registeredCapital),
        paidInCapital: yuan(entity.paidInCapital),
        legalRepName: entity.legalRepName,
        industryCode: entity.industryCode,
        regionCode: entity.regionCode,
      },
      evaluation: evaluation && {
        grade: evaluation.grade,
        score: evaluation.score,
        modelVersion: evaluation.modelVersion,
        modelName: evaluation.modelName,
        evaluatedAt: chineseDateTime(evaluation.asOf),
        groups: evaluation.groups,
      },
      sections,
      notice: RESULT_NOTICE,
    };
    const { data, pages } = await this.renderer.render(doc);
    const sha256 = sha256Hex(data);
    const storageKey = FileStorage.newKey(now);
    await this.storage.put(storageKey, data);
    let row: ReportRow;
    try {
      row = await this.db.tx(async (sql) => {
        const r = await this.repo.insert(sql, {
          reportNo,
          entityId,
          entityBucket: usccBucket(entity.uscc),
          enterpriseName: entity.name,
          uscc: entity.uscc,
          purpose,
          requestedBy: who.kind === 'staff' ? 'staff' : 'enterprise',
          requestedById: actorOf(who).actorId,
          generatedAt: now,
          validUntil,
          codeHash: sha256Hex(code),
          sha256,
          size: data.length,
          pages,
          storageKey,
          dataHash,
          summary: summary as object,
        });
        await appendAudit(
          sql,
          {
            ...actorOf(who),
            action: 'credit_report.create',
            objectType: 'credit_report',
            objectId: String(r.id),
            entityId,
            detail: { reportNo, purpose, sha256, dataHash, grade: summary.grade },
          },
          { now },
        );
        return r;
      });
    } catch (e) {
      await this.storage.delete(storageKey).catch(() => undefined);
      throw e;
    }
    return { ...reportView(row, now), verificationCode: formatVerificationCode(code), verifyUrl };
  }

  /** The report, to its enterprise's users and to staff (each staff view audited). */
  async get(who: Principal, id: number): Promise<CreditReport> {
    const row = await this.readable(who, id);
    if (who.kind === 'staff') await this.audit(who, 'credit_report.view', row);
    return reportView(row, this.clock.now());
  }

  async list(
    who: Principal,
    q: { entityId?: number | undefined; before?: number | undefined; limit: number },
  ): Promise<CreditReportList> {
    let scope: number[] | null;
    if (who.kind === 'user') scope = q.entityId ? who.entityIds.filter((e) => e === q.entityId) : who.entityIds;
    else scope = q.entityId ? [q.entityId] : null;
    const rows = scope && !scope.length ? [] : await this.repo.list(scope, q.before, q.limit);
    const page = rows.slice(0, q.limit);
    if (who.kind === 'staff')
      await this.db.tx((sql) =>
        appendAudit(sql, {
          ...actorOf(who),
          action: 'credit_report.list',
          objectType: 'credit_report',
          objectId: null,
          entityId: q.entityId ?? null,
          detail: { entityId: q.entityId ?? null, ids: page.map((r) => r.id) },
        }),
      );
    const now = this.clock.now();
    return {
      items: page.map((r) => reportView(r, now)),
      nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
    };
  }

  /** The PDF as issued: its bytes are checked against the stored SHA-256 before they leave. */
  async download(who: Principal, id: number): Promise<{ row: ReportRow; data: Buffer }> {
    const row = await this.readable(who, id);
    const data = await this.storage.get(row.storageKey);
    if (sha256Hex(data) !== row.sha256) throw new AppError(ErrorCodes.INTERNAL, '报告文件校验失败，请联系信用工作机构');
    await this.audit(who, 'credit_report.download', row);
    return { row, data };
  }

  private async readable(who: Principal, id: number): Promise<ReportRow> {
    const row = await this.repo.byId(id);
    const mine = who.kind === 'user' ? !!row && who.entityIds.includes(row.entityId) : who.kind === 'staff';
    if (!row || !mine) throw new AppError(ErrorCodes.NOT_FOUND, '报告不存在或无权访问');
    return row;
  }

  private audit(who: Principal, action: string, row: ReportRow): Promise<void> {
    return this.db.tx((sql) =>
      appendAudit(
        sql,
        {
          ...actorOf(who),
          action,
          objectType: 'credit_report',
          objectId: String(row.id),
          entityId: row.entityId,
          detail: { reportNo: row.reportNo },
        },
        { now: this.clock.now() },
      ),
    );
  }
}
