import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  AppError,
  APPLICATION_STATUS_LABELS,
  ErrorCodes,
  OPEN_STATUSES,
  RECORD_KIND_LABELS,
  compileModel,
  evaluate,
  score,
  type EvaluationResponse,
  type Grade,
  type ImpactPreview,
} from '@heihe/shared';
import { appendAudit, AUDIT_COLUMNS, auditValues, type AuditEntry } from '../audit';
import { actorOf, type Principal } from '../auth';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { dayOf, idOf } from '../db/values';
import { factsAsOf, factsInRangeAsOf } from '../records';
import { noticeRegulators } from '../outbox';
import { chinaDate } from '../common/china-time';
import { CycleService, type CycleProgress } from './cycle';
import { BullmqDispatcher, InProcessDispatcher, type ChunkDispatcher } from './cycle.dispatch';
import { NodeMap } from './cycle.nodes';
import { sameEffects } from './evaluation.encoding';
import { ModelRepository, type StoredModel } from './model.repository';

const PREVIEW_LISTED = 200;

/** Evaluations whose derived explanation is kept; a few KB each. */
const DERIVED_CACHED = 5000;

/** The part of an evaluation's response derived from record history: fixed for its evaluation id. */
type DerivedEvaluation = Pick<EvaluationResponse, 'reproduced' | 'groups' | 'indicators'> & {
  records: Omit<EvaluationResponse['records'][number], 'openApplication'>[];
};

/** A Map in least-recently-used order: a hit moves the key to the end, the first key is evicted. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

/** A delivered payload field as text, or null. */
function textOf(payload: unknown, key: string): string | null {
  const v = ((payload ?? {}) as Record<string, unknown>)[key] ?? null;
  if (v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A record version's one-line description, as `payload->>'summary'` (or the document number) reads it. */
function summaryOf(payload: unknown): string | null {
  return textOf(payload, 'summary') ?? textOf(payload, 'documentNo');
}

/** What 信用中国 shows of a record beside its summary, as the source delivered it. */
function detailsOf(payload: unknown) {
  return {
    summary: summaryOf(payload),
    authority: textOf(payload, 'authority'),
    documentNo: textOf(payload, 'documentNo'),
    content: textOf(payload, 'content'),
    legalBasis: textOf(payload, 'legalBasis'),
  };
}

type RecordDetails = ReturnType<typeof detailsOf>;
type OpenApplication = EvaluationResponse['records'][number]['openApplication'];

/** 'YYYY-MM-DD' plus whole months, a missing day falling on the month's last (the engine's rule). */
function addMonthsToDay(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * The last day a record counts (公示至): a record with a severity stops on occurredOn plus the
 * model's maximum publicity period for it; validTo (exclusive) ends any record earlier.
 */
function publicUntilOf(
  f: { occurredOn: string; validTo: string | null; severity: string | null },
  decay: Record<string, { zeroMonths: number }>,
): string | null {
  const ends: string[] = [];
  const period = f.severity ? decay[f.severity] : undefined;
  if (period) ends.push(addMonthsToDay(f.occurredOn, period.zeroMonths));
  if (f.validTo) ends.push(f.validTo);
  if (!ends.length) return null;
  return dayBefore(ends.sort()[0]!);
}

/** Sums an evaluation's stored effects ("indicator,recordId,version,points,reason") by record. */
function pointsByRecord(effects: unknown): Map<number, { version: number; points: number }> {
  const out = new Map<number, { version: number; points: number }>();
  const list = typeof effects === 'string' ? (JSON.parse(effects) as unknown) : effects;
  if (!Array.isArray(list)) return out;
  for (const e of list) {
    const [, recordId, version, points] = String(e).split(',');
    if (!recordId) continue;
    const id = Number(recordId);
    const prev = out.get(id);
    out.set(id, {
      version: Math.max(Number(version), prev?.version ?? 0),
      points: (prev?.points ?? 0) + Number(points),
    });
  }
  return out;
}

function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}

@Injectable()
export class ScoringService implements OnModuleDestroy {
  private readonly log = new Logger('Scoring');
  readonly cycles: CycleService;
  private readonly dispatcher: ChunkDispatcher;
  private readonly models: ModelRepository;
  private background: Promise<unknown> = Promise.resolve();
  /** Derivations by evaluation id; a promise, so that concurrent first readers derive once. */
  private readonly derived = new LruCache<string, Promise<DerivedEvaluation>>(DERIVED_CACHED);

  constructor(
    private readonly db: Database,
    @Inject(Config.token) config: AppConfig,
  ) {
    this.cycles = new CycleService(db, new NodeMap(config.CYCLE_NODES), config.CYCLE_BUCKET_GROUPS);
    this.models = new ModelRepository(db);
    this.dispatcher = config.REDIS_URL
      ? new BullmqDispatcher(this.cycles, config.REDIS_URL, config.QUEUE_PREFIX)
      : new InProcessDispatcher(this.cycles);
  }

  async onModuleDestroy(): Promise<void> {
    await this.background.catch(() => undefined);
    await this.dispatcher.close();
  }

  /**
   * The current evaluation, with its explanation re-derived from record history and checked. The
   * derivation depends on the evaluation alone (an evaluation is never changed), so it is made once
   * per evaluation id and kept in a bounded cache; the entity's own fields are read every time.
   * `view`, when given, is the audit entry of this read, written by the read's own statement.
   */
  async getEvaluation(entityId: number, view?: AuditEntry): Promise<EvaluationResponse> {
    const audit = view ? auditValues(view, 2) : null;
    const [row] = await this.db.query<{
      id: string;
      uscc: string;
      name: string;
      model_version: number;
      as_of: unknown;
      trigger: string;
      total: number;
      grade: string;
    }>(
      // Raw SQL: the hottest read (bench:api); with `view`, the same statement records it, so the
      // audit row is written iff the evaluation is read, in one round trip.
      `WITH current AS (
         SELECT ev.id::text, e.uscc, e.name, ev.model_version, ev.as_of, ev.trigger, ev.total, ev.grade
         FROM entity e JOIN entity_score s ON s.entity_id = e.id JOIN evaluation ev ON ev.id = s.evaluation_id
         WHERE e.id = $1
       )${audit ? `, viewed AS (INSERT INTO audit_log (${AUDIT_COLUMNS}) SELECT ${audit.sql} FROM current)` : ''}
       SELECT * FROM current`,
      [entityId, ...(audit?.params ?? [])],
    );
    if (!row) throw new AppError(ErrorCodes.NOT_FOUND, '该主体尚无评价结果');
    const at = new Date(iso(row.as_of));
    let derived = this.derived.get(row.id);
    if (!derived) {
      derived = this.derive(row.id, entityId, at, row.model_version, row.total);
      this.derived.set(row.id, derived);
      // A failed derivation is not kept: the next request tries again.
      derived.catch(() => this.derived.delete(row.id));
    }
    const d = await derived;
    return {
      evaluationId: row.id,
      entityId,
      uscc: row.uscc,
      name: row.name,
      modelVersion: row.model_version,
      asOf: at.toISOString(),
      trigger: row.trigger,
      total: row.total,
      grade: row.grade as EvaluationResponse['grade'],
      reproduced: d.reproduced,
      groups: d.groups,
      indicators: d.indicators,
      records: await this.withOpenApplications(entityId, d.records),
    };
  }

  /**
   * Each record with the objection or repair application in progress about it. Read per request:
   * filing a repair makes no new evaluation, so the cached derivation cannot know it.
   */
  private async withOpenApplications(
    entityId: number,
    records: Omit<EvaluationResponse['records'][number], 'openApplication'>[],
  ): Promise<EvaluationResponse['records']> {
    const open = { entityId, status: { in: [...OPEN_STATUSES] } };
    const select = { id: true, recordId: true, status: true } as const;
    const [objections, repairs] = await Promise.all([
      this.db.prisma.objection.findMany({ where: open, select }),
      this.db.prisma.repairApplication.findMany({ where: open, select }),
    ]);
    const byRecord = new Map<number, NonNullable<OpenApplication>>();
    const add = (kind: 'objection' | 'repair', rows: typeof objections) => {
      for (const r of rows) {
        const status = r.status as NonNullable<OpenApplication>['status'];
        byRecord.set(idOf(r.recordId), {
          kind,
          id: r.id,
          status,
          statusLabel: APPLICATION_STATUS_LABELS[kind][status],
        });
      }
    };
    add('repair', repairs);
    add('objection', objections);
    return records.map((r) => ({ ...r, openApplication: byRecord.get(r.recordId) ?? null }));
  }

  /** Re-derives an evaluation's explanation from record history, and checks it reproduces the stored one. */
  private async derive(
    evaluationId: string,
    entityId: number,
    at: Date,
    modelVersion: number,
    total: number,
  ): Promise<DerivedEvaluation> {
    const stored = await this.db.prisma.evaluation.findFirst({
      where: { id: BigInt(evaluationId) },
      select: { indicators: true, effects: true },
    });
    const model = this.models.compile(await this.models.get(modelVersion));
    const facts = (await factsAsOf(this.db, [entityId], at)).get(entityId)!;
    const e = evaluate(model, facts, chinaDate(at));
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    const reproduced =
      e.total === total &&
      JSON.stringify(e.indicators.map((i) => i.points)) === JSON.stringify(parse(stored!.indicators)) &&
      sameEffects(e, parse(stored!.effects));
    if (!reproduced) this.log.error(`evaluation ${evaluationId} of entity ${entityId} did not reproduce from history`);
    const versions = await this.db.prisma.creditRecordVersion.findMany({
      where: { entityId, recordId: { in: facts.map((f) => f.recordId) } },
      select: { recordId: true, version: true, payload: true },
    });
    const details = new Map(versions.map((d) => [`${d.recordId}:${d.version}`, detailsOf(d.payload)]));
    const none: RecordDetails = { summary: null, authority: null, documentNo: null, content: null, legalBasis: null };
    const byRecord = new Map(facts.map((f) => [f.recordId, f]));
    return {
      reproduced,
      groups: e.groups,
      indicators: e.indicators,
      records: e.records.map((r) => {
        const f = byRecord.get(r.recordId)!;
        return {
          ...r,
          occurredOn: f.occurredOn,
          validFrom: f.validFrom,
          validTo: f.validTo,
          severity: f.severity,
          category: f.category,
          amount: f.amount,
          grade: f.grade,
          publicUntil: publicUntilOf(f, model.definition.decay),
          ...(details.get(`${r.recordId}:${r.version}`) ?? none),
        };
      }),
    };
  }

  /**
   * The entity's evaluations, newest first, each with what moved since the one before it: the
   * points per record (from the stored effects) and a model change. One row more than asked is read,
   * so that the oldest shown has its predecessor too.
   */
  async history(entityId: number, limit: number) {
    const rows = await this.db.prisma.evaluation.findMany({
      where: { entityId },
      orderBy: [{ asOf: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      select: { id: true, asOf: true, total: true, grade: true, modelVersion: true, trigger: true, effects: true },
    });
    const points = rows.map((r) => pointsByRecord(r.effects));
    const diffs = rows.slice(0, limit).map((_, i) => {
      if (i + 1 >= rows.length) return [];
      const now = points[i]!;
      const before = points[i + 1]!;
      const out: { recordId: number; version: number; points: number }[] = [];
      for (const id of new Set([...now.keys(), ...before.keys()])) {
        const d = (now.get(id)?.points ?? 0) - (before.get(id)?.points ?? 0);
        if (d !== 0) out.push({ recordId: id, version: now.get(id)?.version ?? before.get(id)!.version, points: d });
      }
      return out.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.recordId - b.recordId);
    });
    const wanted = diffs.flat();
    const versions = wanted.length
      ? await this.db.prisma.creditRecordVersion.findMany({
          where: { entityId, OR: wanted.map((w) => ({ recordId: w.recordId, version: w.version })) },
          select: { recordId: true, version: true, kind: true, occurredOn: true, payload: true },
        })
      : [];
    const byVersion = new Map(versions.map((v) => [`${v.recordId}:${v.version}`, v]));
    return {
      items: rows.slice(0, limit).map((r, i) => {
        const prev = rows[i + 1];
        return {
          evaluationId: r.id.toString(),
          asOf: r.asOf.toISOString(),
          total: r.total,
          grade: r.grade as 'A',
          modelVersion: r.modelVersion,
          trigger: r.trigger,
          delta: prev ? r.total - prev.total : null,
          modelChanged: prev ? prev.modelVersion !== r.modelVersion : false,
          changes: diffs[i]!.map((d) => {
            const v = byVersion.get(`${d.recordId}:${d.version}`);
            const kind = v?.kind ?? 'unknown';
            return {
              recordId: d.recordId,
              kind,
              kindLabel: RECORD_KIND_LABELS[kind as keyof typeof RECORD_KIND_LABELS] ?? '信用记录',
              summary: v ? summaryOf(v.payload) : null,
              occurredOn: v ? dayOf(v.occurredOn) : '',
              points: d.points,
            };
          }),
        };
      }),
    };
  }

  async distribution(filter: { industryCode?: string; regionCode?: string }) {
    // Raw SQL: one set-wise aggregate over every entity (LEFT JOIN and GROUP BY), not CRUD.
    const rows = await this.db.query<{ grade: string | null; n: number }>(
      `SELECT s.grade, count(*)::int AS n FROM entity e LEFT JOIN entity_score s ON s.entity_id = e.id
       WHERE ($1::text IS NULL OR e.industry_code LIKE $1 || '%') AND ($2::text IS NULL OR e.region_code LIKE $2 || '%')
       GROUP BY s.grade`,
      [filter.industryCode ?? null, filter.regionCode ?? null],
    );
    const byGrade = { A: 0, B: 0, C: 0, D: 0, E: 0 };
    let unscored = 0;
    let total = 0;
    for (const r of rows) {
      total += r.n;
      if (r.grade && r.grade in byGrade) byGrade[r.grade as keyof typeof byGrade] = r.n;
      else unscored += r.n;
    }
    return { total, byGrade, unscored };
  }

  /** Starts (or resumes) a cycle and lets it run in the background; progress is polled. */
  async runCycle(trigger: string, by: Principal | null, modelVersion?: number): Promise<CycleProgress> {
    const p = await this.cycles.startOrResume({ trigger, modelVersion });
    if (by)
      await appendAudit(this.db, {
        ...actorOf(by),
        action: 'cycle.run',
        objectType: 'scoring_cycle',
        objectId: String(p.id),
        detail: { trigger, modelVersion: p.modelVersion },
      });
    this.background = this.background
      .then(() => this.dispatcher.run(p.id))
      .catch((e: unknown) => this.log.error(`cycle ${p.id}: ${e instanceof Error ? e.message : String(e)}`));
    return p;
  }

  /** Runs a cycle to completion in this call: for CLI tools and tests. */
  async runCycleToEnd(
    trigger: string,
    onProgress?: (p: CycleProgress) => void,
    modelVersion?: number,
  ): Promise<CycleProgress> {
    const p = await this.cycles.startOrResume({ trigger, modelVersion });
    return this.dispatcher.run(p.id, onProgress);
  }

  listModels() {
    return this.models.list().then((items) => ({ items: items.map(this.view) }));
  }

  getModel(version: number) {
    return this.models.get(version).then(this.view);
  }

  /** Published versions only; a draft answers like a missing version. */
  async getPublishedModel(version: number) {
    const m = await this.models.get(version);
    if (m.status !== 'published' || !m.effectiveFrom)
      throw new AppError(ErrorCodes.NOT_FOUND, `评价模型版本 ${version} 不存在或尚未发布`);
    return { version: m.version, name: m.name, effectiveFrom: m.effectiveFrom, definition: this.view(m).definition };
  }

  createDraft(name: string, definition: unknown, by: Principal) {
    return this.db.tx(async (sql) => {
      const m = await new ModelRepository(sql).createDraft(definition, name);
      await appendAudit(sql, {
        ...actorOf(by),
        action: 'model.draft',
        objectType: 'scoring_model',
        objectId: String(m.version),
      });
      return this.view(m);
    });
  }

  updateDraft(version: number, name: string, definition: unknown, by: Principal) {
    return this.db.tx(async (sql) => {
      const m = await new ModelRepository(sql).updateDraft(version, definition, name);
      await appendAudit(sql, {
        ...actorOf(by),
        action: 'model.update',
        objectType: 'scoring_model',
        objectId: String(version),
      });
      return this.view(m);
    });
  }

  /**
   * Runs a draft over today's population beside the model in force: the grade distribution before
   * and after, and who changes grade. Reads the population chunk by chunk.
   */
  async previewImpact(version: number, at: Date = new Date()): Promise<ImpactPreview> {
    const draft = await this.models.get(version);
    const draftModel = compileModel(draft.definition);
    const asOfDate = chinaDate(at);
    const base = await this.models.effectiveOn(asOfDate);
    const baseModel = this.models.compile(base);
    const { _min, _max } = await this.db.prisma.entity.aggregate({ _min: { id: true }, _max: { id: true } });
    const bounds = { lo: _min.id, hi: _max.id };
    const before = { A: 0, B: 0, C: 0, D: 0, E: 0 };
    const after = { ...before };
    let entities = 0;
    const changes: ImpactPreview['changes'] = [];
    let changed = 0;
    const migrations = new Map<string, number>();
    const step = 5000;
    for (let lo = bounds.lo ?? 1; bounds.hi !== null && lo <= bounds.hi; lo += step) {
      const facts = await factsInRangeAsOf(this.db, lo, lo + step - 1, at);
      const moved: { entityId: number; b: ReturnType<typeof score>; a: ReturnType<typeof score> }[] = [];
      for (const [entityId, f] of facts) {
        const b = score(baseModel, f, asOfDate);
        const a = score(draftModel, f, asOfDate);
        before[b.grade]++;
        after[a.grade]++;
        entities++;
        const pair = `${b.grade}${a.grade}`;
        migrations.set(pair, (migrations.get(pair) ?? 0) + 1);
        if (a.grade !== b.grade) {
          changed++;
          if (changes.length + moved.length < PREVIEW_LISTED) moved.push({ entityId, b, a });
        }
      }
      if (moved.length) {
        const names = new Map(
          (
            await this.db.prisma.entity.findMany({
              where: { id: { in: moved.map((m) => m.entityId) } },
              select: { id: true, uscc: true, name: true },
            })
          ).map((r) => [r.id, r]),
        );
        for (const m of moved)
          changes.push({
            entityId: m.entityId,
            uscc: names.get(m.entityId)!.uscc,
            name: names.get(m.entityId)!.name,
            fromGrade: m.b.grade,
            toGrade: m.a.grade,
            fromTotal: m.b.total,
            toTotal: m.a.total,
          });
      }
    }
    return {
      asOf: at.toISOString(),
      baseModelVersion: base.version,
      draftVersion: version,
      entities,
      before,
      after,
      changed,
      migrations: [...migrations]
        .map(([pair, count]) => ({ from: pair[0] as Grade, to: pair[1] as Grade, count }))
        .sort((x, y) => (x.from + x.to).localeCompare(y.from + y.to)),
      changes,
    };
  }

  /** Freezes the draft; when it is already in force, re-scores everyone under it at once. */
  async publish(version: number, effectiveFrom: string, by: Principal, at: Date = new Date()) {
    const model = await this.db.tx(async (sql) => {
      const m = await new ModelRepository(sql).publish(version, effectiveFrom, actorOf(by).actorId);
      await appendAudit(sql, {
        ...actorOf(by),
        action: 'model.publish',
        objectType: 'scoring_model',
        objectId: String(version),
        detail: { effectiveFrom },
      });
      await noticeRegulators(sql, {
        messageId: `model.published:${version}`,
        topic: 'model.published',
        entityId: null,
        payload: { modelVersion: version, asOf: at.toISOString(), name: m.name, effectiveFrom },
      });
      return m;
    });
    const cycle = effectiveFrom <= chinaDate(at) ? await this.runCycle('model.publish', null, version) : null;
    return { model: this.view(model), cycle };
  }

  private view = (m: StoredModel) => ({ ...m, definition: m.definition as unknown as Record<string, unknown> });
}
