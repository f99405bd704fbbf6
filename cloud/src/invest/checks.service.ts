import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  INVEST_NOTICE,
  RISK_CATEGORIES,
  RISK_LABELS,
  redFlags,
  riskSummary,
  riskVerdict,
  type KeyPeople,
  type RedFlagThresholds,
  type RiskCategory,
  type RiskScan,
  type TargetCheck,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { chinaDate } from '../common/china-time';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { evaluateAsOf } from '../scoring';
import { checkWorkbook } from './check-export';
import { InvestRepository, type EntityCard } from './invest.repository';
import { InvestService } from './invest.service';
import { RelatedRepository, type PersonRole, type RiskRecordRow, type Tie } from './related.repository';

type Company = Omit<KeyPeople['persons'][number]['posts'][number], 'roles'>;
type Risk = Company['risk'];
type Finding = RiskScan['findings'][number];
type Related = RiskScan['related'][number];
type FlagConfig = Pick<
  AppConfig,
  | 'INVEST_FLAG_PAID_IN_RATIO_MIN'
  | 'INVEST_FLAG_YOUNG_HOLDER_DAYS'
  | 'INVEST_FLAG_LOW_GRADE_RELATED_MIN'
  | 'INVEST_FLAG_LOW_GRADE_RELATED_SHARE'
  | 'INVEST_FLAG_FINANCING_GRACE_DAYS'
>;

const DEFAULT_PURPOSE = '招商信用核查';
/** The related set stops growing here; the ring that crossed it is marked incomplete. */
export const MAX_RELATED = 2000;
const ROLE_ORDER: PersonRole[] = ['legal_representative', 'director', 'supervisor', 'manager'];
/** The people section: the legal representative, directors and supervisors (issue 16, item 4). */
const KEY_ROLES = new Set<PersonRole>(['legal_representative', 'director', 'supervisor']);
const SEVERITY_RANK: Record<RiskCategory, number> = Object.fromEntries(RISK_CATEGORIES.map((c, i) => [c, i])) as Record<
  RiskCategory,
  number
>;

const EMPTY_RISK: Risk = { total: 0, underObjection: 0, byCategory: [] };

/** 核查编号: ZSHC-<China day of the check>-<id, six digits>. */
export const checkNumber = (id: number, createdAt: Date) =>
  `ZSHC-${chinaDate(createdAt).replaceAll('-', '')}-${String(id).padStart(6, '0')}`;

/**
 * 精准招商, the target's surroundings: key people and their other companies, the risk scan over
 * the related set with the red flags, and the stored check that snapshots every section.
 */
@Injectable()
export class ChecksService {
  constructor(
    private readonly related: RelatedRepository,
    private readonly repo: InvestRepository,
    private readonly invest: InvestService,
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(Config.token) private readonly config: FlagConfig,
  ) {}

  private get thresholds(): RedFlagThresholds {
    return {
      paidInRatioMin: this.config.INVEST_FLAG_PAID_IN_RATIO_MIN,
      youngHolderDays: this.config.INVEST_FLAG_YOUNG_HOLDER_DAYS,
      lowGradeRelatedMin: this.config.INVEST_FLAG_LOW_GRADE_RELATED_MIN,
      lowGradeRelatedShare: this.config.INVEST_FLAG_LOW_GRADE_RELATED_SHARE,
      financingGraceDays: this.config.INVEST_FLAG_FINANCING_GRACE_DAYS,
    };
  }

  // ---- people ----------------------------------------------------------------------------------

  async people(entityId: number, purpose: string | undefined, who: Principal): Promise<KeyPeople> {
    const r = await this.keyPeople(entityId);
    await this.audit(who, 'invest.people.view', 'entity', String(entityId), entityId, purpose, {
      persons: r.persons.map((p) => p.key),
    });
    return r;
  }

  /** Persons are the `person` rows the ingestion matched by keyed ID hash; names are never joined on. */
  async keyPeople(entityId: number): Promise<KeyPeople> {
    const target = await this.invest.requireEntity(entityId);
    const day = chinaDate(this.clock.now());
    const roles = (await this.related.keyPersonsOf([entityId])).filter((r) => KEY_ROLES.has(r.role));
    const personIds = [...new Set(roles.map((r) => r.personId))];
    const [persons, posts, holdings] = await Promise.all([
      this.related.persons(personIds),
      this.related.postsOf(personIds),
      this.related.holdingsOf(personIds),
    ]);
    const otherPosts = posts.filter((p) => p.entityId !== entityId);
    const otherHoldings = holdings.filter((h) => h.entityId !== entityId);
    const ids = [...new Set([...otherPosts.map((p) => p.entityId), ...otherHoldings.map((h) => h.entityId)])];
    const [cards, risks] = await Promise.all([this.repo.entitiesById(ids), this.risksOf(ids, day)]);
    const cardOf = new Map(cards.map((c) => [c.id, c]));
    const company = (id: number): Company | null => {
      const c = cardOf.get(id);
      return c ? { ...companyOf(c), risk: risks.get(id)?.summary ?? EMPTY_RISK } : null;
    };
    const byRole = (a: PersonRole, b: PersonRole) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b);
    const out = personIds.map((pid) => {
      const p = persons.get(pid)!;
      const postsOf = new Map<number, PersonRole[]>();
      for (const x of otherPosts.filter((x) => x.personId === pid))
        postsOf.set(x.entityId, [...(postsOf.get(x.entityId) ?? []), x.role].sort(byRole));
      return {
        key: `p${pid}`,
        name: p.name,
        idNumberMasked: p.idNumberMasked,
        roles: roles
          .filter((r) => r.personId === pid)
          .map((r) => r.role)
          .sort(byRole),
        posts: [...postsOf].flatMap(([id, rs]) => {
          const c = company(id);
          return c ? [{ ...c, roles: rs }] : [];
        }),
        holdings: otherHoldings
          .filter((h) => h.personId === pid)
          .flatMap((h) => {
            const c = company(h.entityId);
            return c ? [{ ...c, ratio: h.ratio }] : [];
          }),
      };
    });
    out.sort((a, b) => byRole(a.roles[0]!, b.roles[0]!) || (a.key < b.key ? -1 : 1));
    return { entityId, name: target.name, asOf: this.clock.now().toISOString(), persons: out, notice: INVEST_NOTICE };
  }

  // ---- risk scan -------------------------------------------------------------------------------

  async scan(entityId: number, radius: number, purpose: string | undefined, who: Principal): Promise<RiskScan> {
    const r = await this.riskScan(entityId, radius);
    await this.audit(who, 'invest.risk.scan', 'entity', String(entityId), entityId, purpose, {
      radius,
      related: r.related.length,
      findings: r.findings.length,
      redFlags: r.redFlags.map((f) => f.code),
    });
    return r;
  }

  /**
   * The related set breadth-first, one ring per query set (holders, investees, key persons' other
   * companies), then every risk record of the whole set in one read, judged by the shared rules.
   */
  async riskScan(entityId: number, radius: number): Promise<RiskScan> {
    const target = await this.invest.requireEntity(entityId);
    const now = this.clock.now();
    const day = chinaDate(now);
    // The red flags' own reads (holders to 10 levels, financing, capital changes) run beside the walk.
    const flagInputs = this.redFlagInputs(target);
    flagInputs.catch(() => undefined);
    const distance = new Map<number, number>([[entityId, 0]]);
    const via = new Map<number, Pick<Tie, 'from' | 'relation' | 'personId' | 'personName'>>();
    let frontier = [entityId];
    let truncated = false;
    for (let d = 1; d <= radius && frontier.length && !truncated; d++) {
      const ties = (await this.related.neighbours(frontier)).sort(
        (a, b) => a.from - b.from || a.to - b.to || a.relation.localeCompare(b.relation),
      );
      const next: number[] = [];
      for (const t of ties) {
        if (distance.has(t.to)) continue;
        if (distance.size >= MAX_RELATED) {
          truncated = true;
          break;
        }
        distance.set(t.to, d);
        via.set(t.to, { from: t.from, relation: t.relation, personId: t.personId, personName: t.personName });
        next.push(t.to);
      }
      frontier = next;
    }
    const ids = [...distance.keys()];
    const [cards, risks] = await Promise.all([this.repo.entitiesById(ids), this.risksOf(ids, day)]);
    const cardOf = new Map(cards.map((c) => [c.id, c]));
    const related: Related[] = ids
      .filter((id) => cardOf.has(id))
      .map((id) => {
        const v = via.get(id);
        return {
          ...companyOf(cardOf.get(id)!),
          risk: risks.get(id)?.summary ?? EMPTY_RISK,
          distance: distance.get(id)!,
          via: v
            ? {
                fromEntityId: v.from,
                fromName: cardOf.get(v.from)?.name ?? '',
                relation: v.relation,
                person: v.personId === null ? null : v.personName,
              }
            : null,
        };
      })
      .sort((a, b) => a.distance - b.distance || b.risk.total - a.risk.total || a.entityId - b.entityId);

    const findings: Finding[] = [];
    const excluded = { repaired: 0, revoked: 0, expired: 0, notInForce: 0 };
    for (const [id, r] of risks) {
      for (const f of r.findings)
        findings.push({
          entityId: id,
          entityName: cardOf.get(id)?.name ?? '',
          distance: distance.get(id)!,
          category: f.category,
          label: RISK_LABELS[f.category],
          recordId: f.row.recordId,
          version: f.row.version,
          severity: f.row.severity,
          underObjection: f.underObjection,
          occurredOn: f.row.occurredOn,
          windowEnds: f.windowEnds,
          authority: f.row.authority,
          documentNo: f.row.documentNo,
          summary: f.row.summary,
        });
      excluded.repaired += r.excluded.repaired;
      excluded.revoked += r.excluded.revoked;
      excluded.expired += r.excluded.expired;
      excluded.notInForce += r.excluded.notInForce;
    }
    findings.sort(
      (a, b) =>
        SEVERITY_RANK[a.category] - SEVERITY_RANK[b.category] ||
        a.distance - b.distance ||
        (a.occurredOn < b.occurredOn ? 1 : a.occurredOn > b.occurredOn ? -1 : 0) ||
        a.recordId - b.recordId,
    );

    const flags = this.redFlagsOf(await flagInputs, target, related, day);
    return {
      entityId,
      name: target.name,
      asOf: now.toISOString(),
      radius,
      related,
      findings,
      summary: riskSummary(findings),
      excluded,
      redFlags: flags,
      truncated,
      notice: INVEST_NOTICE,
    };
  }

  /**
   * What the red flags read besides the related set: the target's entity holders (to 10 levels)
   * with their routes, financing and capital changes. The holders and routes are those of the
   * ownership graph (ADR 0014), taken from its one read without penetrating it: the flags need
   * who holds, not how much reaches whom.
   */
  private async redFlagInputs(target: EntityCard) {
    const [rows, financings, changes] = await Promise.all([
      this.repo.entityHoldingsUpward(target.id, 10),
      this.related.financings(target.id),
      this.related.capitalChanges(target.id),
    ]);
    const targetKey = `e${target.id}`;
    const nameOf = new Map<string, string>([[targetKey, target.name]]);
    const holders = new Map<number, { id: number; name: string; establishedOn: string }>();
    // The route of each holder down to the target: the first holding of each holder, followed
    // (persons and unregistered holders never lie on a route).
    const down = new Map<string, string>();
    for (const r of rows) {
      const key = `e${r.holder.id}`;
      if (!down.has(key)) down.set(key, `e${r.entityId}`);
      if (r.holder.id !== target.id) {
        holders.set(r.holder.id, r.holder);
        if (!nameOf.has(key)) nameOf.set(key, r.holder.name);
      }
    }
    const routeOf = (key: string) => {
      const names: string[] = [];
      const seen = new Set<string>();
      for (let k: string | undefined = key; k && !seen.has(k); k = down.get(k)) {
        seen.add(k);
        names.push(nameOf.get(k) ?? k);
        if (k === targetKey) break;
      }
      return names;
    };
    return {
      holders: [...holders.values()]
        .sort((a, b) => a.id - b.id)
        .map((c) => ({ name: c.name, establishedOn: c.establishedOn, path: routeOf(`e${c.id}`) })),
      financings,
      capitalChanges: changes.map(chinaDate),
    };
  }

  /** Red flags: the target's capital and financing, its entity holders, the related set's grades. */
  private redFlagsOf(
    inputs: Awaited<ReturnType<ChecksService['redFlagInputs']>>,
    target: EntityCard,
    related: Related[],
    day: string,
  ) {
    return redFlags(
      {
        day,
        target,
        ...inputs,
        related: related.filter((r) => r.distance > 0).map((r) => ({ name: r.name, grade: r.grade })),
      },
      this.thresholds,
    );
  }

  /** Every risk record of the entities, judged on `day`: findings and exclusions per entity. */
  private async risksOf(entityIds: number[], day: string) {
    const out = new Map<
      number,
      {
        findings: Array<{
          row: RiskRecordRow;
          category: RiskCategory;
          underObjection: boolean;
          windowEnds: string | null;
        }>;
        excluded: { repaired: number; revoked: number; expired: number; notInForce: number };
        summary: Risk;
      }
    >();
    for (const row of await this.related.riskRecords(entityIds)) {
      const e = out.get(row.entityId) ?? {
        findings: [],
        excluded: { repaired: 0, revoked: 0, expired: 0, notInForce: 0 },
        summary: EMPTY_RISK,
      };
      out.set(row.entityId, e);
      const v = riskVerdict(row, day);
      if (v.counts)
        e.findings.push({ row, category: v.category, underObjection: v.underObjection, windowEnds: v.windowEnds });
      else if (v.excluded === 'not_in_force') e.excluded.notInForce++;
      else if (v.excluded !== 'not_a_risk') e.excluded[v.excluded]++;
    }
    for (const e of out.values()) e.summary = riskSummary(e.findings);
    return out;
  }

  // ---- checks ----------------------------------------------------------------------------------

  async runCheck(
    body: { entityId: number; purpose: string; depth: number; radius: number },
    who: Principal,
  ): Promise<TargetCheck> {
    const target = await this.invest.requireEntity(body.entityId);
    const asOf = this.clock.now();
    const [ownership, investments, people, risks, financings, evaluation] = await Promise.all([
      this.invest.ownershipGraph(target.id, body.depth),
      this.invest.outbound(target.id, 3),
      this.keyPeople(target.id),
      this.riskScan(target.id, body.radius),
      this.related.financings(target.id),
      evaluateAsOf(this.db, [target.id], asOf).then((r) => r[0]?.evaluation ?? null),
    ]);
    const flags = [
      ...new Set([
        ...ownership.holders.flatMap((h) => h.flags.map((f) => f.code)),
        ...risks.redFlags.map((f) => f.code),
      ]),
    ];
    const snapshot = {
      asOf: asOf.toISOString(),
      depth: body.depth,
      radius: body.radius,
      evaluation: evaluation && {
        modelVersion: evaluation.modelVersion,
        total: evaluation.total,
        grade: evaluation.grade,
        groups: evaluation.groups.map((g) => ({ code: g.code, name: g.name, max: g.max, points: g.points })),
        indicators: evaluation.indicators.map((i) => ({
          code: i.code,
          group: i.group,
          name: i.name,
          max: i.max,
          points: i.points,
        })),
      },
      ownership,
      investments,
      people,
      risks,
      financings,
    };
    const actor = actorOf(who);
    const row = await this.db.prisma.targetCheck.create({
      data: {
        entityId: target.id,
        uscc: target.uscc,
        name: target.name,
        createdBy: actor.actorId,
        purpose: body.purpose,
        asOf,
        modelVersion: evaluation?.modelVersion ?? null,
        grade: evaluation?.grade ?? null,
        score: evaluation?.total ?? null,
        flags,
        findings: risks.findings.length,
        snapshot,
      },
      select: { id: true, createdAt: true },
    });
    await this.audit(who, 'invest.check.run', 'target_check', String(row.id), target.id, body.purpose, {
      number: checkNumber(row.id, row.createdAt),
      flags,
      findings: risks.findings.length,
    });
    return this.toCheck(
      {
        id: row.id,
        entityId: target.id,
        uscc: target.uscc,
        name: target.name,
        createdAt: row.createdAt,
        createdBy: actor.actorId,
        purpose: body.purpose,
        modelVersion: evaluation?.modelVersion ?? null,
        grade: evaluation?.grade ?? null,
        score: evaluation?.total ?? null,
        flags,
        findings: risks.findings.length,
      },
      snapshot,
    );
  }

  async getCheck(checkId: number, who: Principal): Promise<TargetCheck> {
    const check = await this.readCheck(checkId);
    await this.audit(who, 'invest.check.view', 'target_check', String(check.checkId), check.entityId, undefined, {
      number: check.number,
    });
    return check;
  }

  private async readCheck(checkId: number): Promise<TargetCheck> {
    const row = await this.db.prisma.targetCheck.findUnique({ where: { id: checkId } });
    if (!row) throw new AppError(ErrorCodes.NOT_FOUND, '核查报告不存在');
    const snapshot = (typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot) as Snapshot;
    return this.toCheck(row, snapshot);
  }

  /** The stored check as an Excel workbook, audited as an export. */
  async exportCheck(checkId: number, who: Principal): Promise<{ number: string; name: string; data: Buffer }> {
    const check = await this.readCheck(checkId);
    const data = await checkWorkbook(check);
    await this.audit(who, 'invest.check.export', 'target_check', String(check.checkId), check.entityId, undefined, {
      number: check.number,
      format: 'xlsx',
    });
    return { number: check.number, name: check.name, data };
  }

  async listChecks(q: { entityId?: number; before?: number; limit: number }, who: Principal) {
    const rows = await this.db.prisma.targetCheck.findMany({
      where: {
        ...(q.entityId ? { entityId: q.entityId } : {}),
        ...(q.before ? { id: { lt: q.before } } : {}),
      },
      select: SUMMARY,
      orderBy: { id: 'desc' },
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    await this.audit(who, 'invest.check.list', 'target_check', null, q.entityId ?? null, undefined, {
      results: page.length,
    });
    return {
      items: page.map((r) => this.summaryOf(r)),
      nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
      notice: INVEST_NOTICE,
    };
  }

  private summaryOf(r: SummaryRow) {
    return {
      checkId: r.id,
      number: checkNumber(r.id, r.createdAt),
      entityId: r.entityId,
      uscc: r.uscc,
      name: r.name,
      createdAt: r.createdAt.toISOString(),
      createdBy: r.createdBy,
      purpose: r.purpose,
      modelVersion: r.modelVersion,
      grade: (r.grade ?? null) as TargetCheck['grade'],
      score: r.score,
      flags: r.flags,
      findings: r.findings,
    };
  }

  private toCheck(r: SummaryRow, s: Snapshot): TargetCheck {
    return { ...this.summaryOf(r), ...s, notice: INVEST_NOTICE };
  }

  private audit(
    who: Principal,
    action: string,
    objectType: string,
    objectId: string | null,
    entityId: number | null,
    purpose: string | undefined,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return appendAudit(
      this.db,
      {
        ...actorOf(who),
        action,
        objectType,
        objectId,
        entityId,
        detail: { purpose: purpose || DEFAULT_PURPOSE, ...detail },
      },
      { now: this.clock.now() },
    );
  }
}

const SUMMARY = {
  id: true,
  entityId: true,
  uscc: true,
  name: true,
  createdAt: true,
  createdBy: true,
  purpose: true,
  modelVersion: true,
  grade: true,
  score: true,
  flags: true,
  findings: true,
} as const;

interface SummaryRow {
  id: number;
  entityId: number;
  uscc: string;
  name: string;
  createdAt: Date;
  createdBy: string;
  purpose: string;
  modelVersion: number | null;
  grade: string | null;
  score: number | null;
  flags: string[];
  findings: number;
}

type Snapshot = Pick<
  TargetCheck,
  'asOf' | 'depth' | 'radius' | 'evaluation' | 'ownership' | 'investments' | 'people' | 'risks' | 'financings'
>;

function companyOf(c: EntityCard) {
  return { entityId: c.id, uscc: c.uscc, name: c.name, status: c.status, grade: c.grade, score: c.score };
}
