import type { CreditReportSummary, ReportRecordInput } from '@heihe/shared';
import type { Database, Sql } from '../db/database';
import { dayOf, dayOrNull, idOf } from '../db/values';
import type { Prisma } from '../generated/prisma/client';
import { ModelRepository } from '../scoring';

export interface EntitySnapshot {
  id: number;
  name: string;
  uscc: string;
  type: string;
  status: 'active' | 'revoked' | 'cancelled';
  establishedOn: string;
  registeredCapital: string;
  paidInCapital: string;
  industryCode: string;
  regionCode: string;
  legalRepName: string | null;
}

export interface EvaluationSnapshot {
  grade: string;
  score: number;
  modelVersion: number;
  modelName: string;
  asOf: Date;
  groups: Array<{ name: string; points: number; max: number }>;
}

const text = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

export const REPORT_COLUMNS = {
  id: true,
  reportNo: true,
  entityId: true,
  enterpriseName: true,
  uscc: true,
  purpose: true,
  requestedBy: true,
  generatedAt: true,
  validUntil: true,
  sha256: true,
  size: true,
  pages: true,
  storageKey: true,
  dataHash: true,
  summary: true,
} satisfies Prisma.CreditReportSelect;
export type ReportRow = Prisma.CreditReportGetPayload<{ select: typeof REPORT_COLUMNS }>;

export const summaryOf = (row: Pick<ReportRow, 'summary'>) => row.summary as unknown as CreditReportSummary;

/** What a report is made from, and the issued reports. */
export class ReportRepository {
  constructor(private readonly db: Database) {}

  async entity(entityId: number): Promise<EntitySnapshot | null> {
    const e = await this.db.prisma.entity.findFirst({
      where: { id: entityId },
      select: {
        id: true,
        name: true,
        uscc: true,
        type: true,
        status: true,
        establishedOn: true,
        registeredCapital: true,
        paidInCapital: true,
        industryCode: true,
        regionCode: true,
        legalRep: { select: { name: true } },
      },
    });
    if (!e) return null;
    return {
      id: e.id,
      name: e.name,
      uscc: e.uscc,
      type: e.type,
      status: e.status,
      establishedOn: dayOf(e.establishedOn),
      registeredCapital: e.registeredCapital.toString(),
      paidInCapital: e.paidInCapital.toString(),
      industryCode: e.industryCode,
      regionCode: e.regionCode,
      legalRepName: e.legalRep?.name ?? null,
    };
  }

  /** The current evaluation, its points per group named after its model version's groups. */
  async evaluation(entityId: number): Promise<EvaluationSnapshot | null> {
    const s = await this.db.prisma.entityScore.findFirst({
      where: { entityId },
      select: { evaluationId: true, grade: true, total: true, modelVersion: true, asOf: true },
    });
    if (!s?.evaluationId || !s.grade || s.total === null || s.modelVersion === null || !s.asOf) return null;
    const ev = await this.db.prisma.evaluation.findFirst({
      where: { id: s.evaluationId },
      select: { groups: true },
    });
    const model = await new ModelRepository(this.db).get(s.modelVersion);
    const raw = typeof ev?.groups === 'string' ? (JSON.parse(ev.groups) as unknown) : ev?.groups;
    const points = Array.isArray(raw)
      ? raw.map((g) => (typeof g === 'number' ? g : Number((g as { points?: number }).points ?? 0)))
      : [];
    return {
      grade: s.grade,
      score: s.total,
      modelVersion: s.modelVersion,
      modelName: model.name,
      asOf: s.asOf,
      groups: model.definition.groups.map((g, i) => ({ name: g.name, max: g.max, points: points[i] ?? 0 })),
    };
  }

  /** Every record's current version, flagged when an upheld objection corrected it. */
  async records(entityId: number): Promise<ReportRecordInput[]> {
    const [rows, corrected] = await Promise.all([
      this.db.prisma.creditRecordVersion.findMany({
        where: { entityId, supersededAt: null },
        select: {
          recordId: true,
          kind: true,
          status: true,
          category: true,
          severity: true,
          grade: true,
          amount: true,
          occurredOn: true,
          validFrom: true,
          validTo: true,
          payload: true,
        },
      }),
      this.db.prisma.creditRecordVersion.findMany({
        where: { entityId, reason: 'objection_upheld', status: 'active' },
        select: { recordId: true },
        distinct: ['recordId'],
      }),
    ]);
    const fixed = new Set(corrected.map((c) => c.recordId));
    return rows.map((r) => {
      const p = (r.payload ?? {}) as Record<string, unknown>;
      return {
        recordId: idOf(r.recordId),
        kind: r.kind,
        status: r.status,
        category: r.category,
        severity: r.severity,
        grade: r.grade,
        amount: r.amount === null ? null : Number(r.amount),
        occurredOn: dayOf(r.occurredOn),
        validFrom: dayOf(r.validFrom),
        validTo: dayOrNull(r.validTo),
        summary: text(p.summary),
        documentNo: text(p.documentNo),
        authority: text(p.authority),
        corrected: fixed.has(r.recordId),
      };
    });
  }

  async insert(sql: Sql, data: Prisma.CreditReportUncheckedCreateInput): Promise<ReportRow> {
    return sql.prisma.creditReport.create({ data, select: REPORT_COLUMNS });
  }

  byId(id: number): Promise<ReportRow | null> {
    return this.db.prisma.creditReport.findUnique({ where: { id }, select: REPORT_COLUMNS });
  }

  byNumber(reportNo: string): Promise<(ReportRow & { codeHash: string }) | null> {
    return this.db.prisma.creditReport.findUnique({
      where: { reportNo },
      select: { ...REPORT_COLUMNS, codeHash: true },
    });
  }

  bySha256(sha256: string): Promise<ReportRow | null> {
    return this.db.prisma.creditReport.findFirst({ where: { sha256 }, select: REPORT_COLUMNS });
  }

  /** Newest first; `entityIds` null means every entity (staff). */
  list(entityIds: number[] | null, before: number | undefined, limit: number): Promise<ReportRow[]> {
    return this.db.prisma.creditReport.findMany({
      where: {
        ...(entityIds ? { entityId: { in: entityIds } } : {}),
        ...(before ? { id: { lt: before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit + 1,
      select: REPORT_COLUMNS,
    });
  }
}
