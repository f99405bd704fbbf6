import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  RESULT_NOTICE,
  type RecommendedEnterprises,
  type RecommendedQuery,
  type ResultFeed,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { dayOf } from '../db/values';
import { decodeFeedCursor, encodeFeedCursor, type FeedPosition } from './cursor';

type Grade = 'A' | 'B' | 'C' | 'D' | 'E';

interface FeedRow {
  tx: string;
  seq: string;
  evaluation_id: string;
  from_grade: Grade;
  to_grade: Grade;
  total: number;
  model_version: number;
  /** ISO 8601 in UTC with milliseconds, as Date.toISOString writes it (the column is timestamptz(3)). */
  as_of: string;
  uscc: string;
  name: string;
  region_code: string;
  industry_code: string;
}

// Raw SQL: pg_snapshot_xmin has no Prisma form. Only events of transactions older than every
// running one are served, in (tx, seq) order: anything such a transaction wrote is visible now or
// never will be, so no page passes over an event that commits later (no gaps), and the cursor is
// strictly increasing (no duplicates). The client's scope, recorded at registration (only its
// region's and industry's entities; none recorded, or no such client, is no limit), is read in the
// same statement: a round trip less per page (npm run bench:feeds, docs/benchmarks.md).
const FEED_SQL = `
  WITH scope AS (
    SELECT coalesce((SELECT region_prefix FROM api_client WHERE id = $4), '') AS region,
      coalesce((SELECT industry_prefix FROM api_client WHERE id = $4), '') AS industry
  )
  SELECT f.tx::text AS tx, f.seq::text AS seq, f.evaluation_id::text AS evaluation_id,
    f.from_grade, f.to_grade, e.total, e.model_version,
    to_char(e.as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS as_of,
    n.uscc, n.name, n.region_code, n.industry_code
  FROM scope, result_feed_event f
  JOIN evaluation e ON e.id = f.evaluation_id
  JOIN entity n ON n.id = f.entity_id
  WHERE f.tx < pg_snapshot_xmin(pg_current_snapshot()) AND (f.tx, f.seq) > ($1::xid8, $2::bigint)
    AND starts_with(n.region_code, scope.region) AND starts_with(n.industry_code, scope.industry)
  ORDER BY f.tx, f.seq
  LIMIT $3`;

/** A feed item's content: what its hash covers. */
interface FeedContent {
  eventId: string;
  type: 'grade.changed';
  evaluationId: string;
  uscc: string;
  name: string;
  regionCode: string;
  industryCode: string;
  fromGrade: Grade;
  grade: Grade;
  total: number;
  modelVersion: number;
  asOf: string;
}

const J = JSON.stringify;

/**
 * `resultHash` of a feed item, with its canonical JSON written in the sorted key order directly
 * instead of sorting every item's keys, hashed one-shot (a page hashes 1,000: ~3.2 → 1.6 ms).
 * The e2e suite checks each item against `resultHash`.
 */
function feedItemHash(c: FeedContent): string {
  return crypto.hash(
    'sha256',
    `{"asOf":${J(c.asOf)},"evaluationId":${J(c.evaluationId)},"eventId":${J(c.eventId)},"fromGrade":${J(c.fromGrade)},` +
      `"grade":${J(c.grade)},"industryCode":${J(c.industryCode)},"modelVersion":${J(c.modelVersion)},"name":${J(c.name)},` +
      `"regionCode":${J(c.regionCode)},"total":${J(c.total)},"type":${J(c.type)},"uscc":${J(c.uscc)}}`,
    'hex',
  );
}

/** What banks, departments and associations read: the 重点推介 list and the change feed. */
@Injectable()
export class ResultFeedService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(Config.token) private readonly config: Pick<AppConfig, 'JWT_SECRET'>,
  ) {}

  /**
   * A-grade entities that are in business, by entity id (keyset): basic information and the grade
   * only. The cursor is the last entity id of the previous page.
   */
  async recommended(q: RecommendedQuery, who: Principal): Promise<RecommendedEnterprises> {
    const after = q.cursor === undefined ? 0 : Number(q.cursor);
    if (!Number.isSafeInteger(after) || after < 0 || after > 2_147_483_647 || !/^\d+$/.test(q.cursor ?? '0'))
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '分页游标无效');
    const rows = await this.db.prisma.entityScore.findMany({
      where: {
        grade: 'A',
        entityId: { gt: after },
        entity: {
          status: 'active',
          ...(q.regionCode ? { regionCode: { startsWith: q.regionCode } } : {}),
          ...(q.industryCode ? { industryCode: { startsWith: q.industryCode } } : {}),
        },
      },
      orderBy: { entityId: 'asc' },
      take: q.limit + 1,
      select: {
        entityId: true,
        modelVersion: true,
        asOf: true,
        entity: { select: { uscc: true, name: true, regionCode: true, industryCode: true, establishedOn: true } },
      },
    });
    const page = rows.slice(0, q.limit);
    await this.db.tx((sql) =>
      appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'recommendations.list',
          objectType: 'recommendation_list',
          objectId: null,
          detail: { regionCode: q.regionCode ?? null, industryCode: q.industryCode ?? null, items: page.length },
        },
        { now: this.clock.now() },
      ),
    );
    return {
      items: page.map((r) => ({
        uscc: r.entity.uscc,
        name: r.entity.name,
        regionCode: r.entity.regionCode,
        industryCode: r.entity.industryCode,
        establishedOn: dayOf(r.entity.establishedOn),
        grade: 'A' as const,
        modelVersion: r.modelVersion ?? 0,
        asOf: r.asOf?.toISOString() ?? '',
        notice: RESULT_NOTICE,
      })),
      nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.entityId) : null,
      notice: RESULT_NOTICE,
    };
  }

  /** Grade changes after the cursor, oldest first; the next cursor continues after the last item. */
  async feed(cursor: string | undefined, limit: number, who: Principal): Promise<ResultFeed> {
    if (who.kind !== 'api_client') throw new AppError(ErrorCodes.FORBIDDEN, '仅对接系统可拉取结果变更');
    const from = decodeFeedCursor(this.config.JWT_SECRET, who.clientId, cursor);
    const rows = await this.db.query<FeedRow>(FEED_SQL, [from.tx, from.seq, limit, who.clientId]);
    const last: FeedPosition = rows.length ? { tx: rows[rows.length - 1]!.tx, seq: rows[rows.length - 1]!.seq } : from;
    const items = rows.map((r) => {
      // One object per item, in the response's key order; the hash covers the content before it.
      const item = {
        eventId: `grade.changed:${r.evaluation_id}`,
        type: 'grade.changed' as const,
        evaluationId: r.evaluation_id,
        uscc: r.uscc,
        name: r.name,
        regionCode: r.region_code,
        industryCode: r.industry_code,
        fromGrade: r.from_grade,
        grade: r.to_grade,
        total: r.total,
        modelVersion: r.model_version,
        asOf: r.as_of,
        hash: '',
        notice: RESULT_NOTICE,
      } satisfies FeedContent & { hash: string; notice: typeof RESULT_NOTICE };
      item.hash = feedItemHash(item);
      return item;
    });
    // One INSERT of its own: a transaction around it only added a BEGIN and a COMMIT per page.
    if (items.length)
      await appendAudit(
        this.db,
        {
          ...actorOf(who),
          action: 'results.feed.pull',
          objectType: 'result_feed',
          objectId: null,
          detail: { from: `${from.tx}.${from.seq}`, to: `${last.tx}.${last.seq}`, items: items.length },
        },
        { now: this.clock.now() },
      );
    return {
      items,
      nextCursor: encodeFeedCursor(this.config.JWT_SECRET, who.clientId, last),
      notice: RESULT_NOTICE,
    };
  }
}
