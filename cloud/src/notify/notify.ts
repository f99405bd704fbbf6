import {
  APPLICATION_KIND_LABELS,
  APPLICATION_STATUS_LABELS,
  type ApplicationKind,
  type ApplicationStatus,
} from '@heihe/shared';
import { chinaDateTime } from '../common/china-time';
import type { AppConfig } from '../config/config';
import type { Sql } from '../db/database';
import { enqueue, type ClaimedMessage, type InternalHandler } from '../outbox';
import type { SubscribeData } from '../wechat';

export interface Templates {
  decision: string;
  grade: string;
}

export function templatesOf(config: Pick<AppConfig, 'WECHAT_TEMPLATE_DECISION' | 'WECHAT_TEMPLATE_GRADE'>): Templates {
  return { decision: config.WECHAT_TEMPLATE_DECISION, grade: config.WECHAT_TEMPLATE_GRADE };
}

/** What messageUser queues for a `wechat:<userId>` destination, and the WeChat deliverer sends. */
export interface WechatPayload {
  userId: number;
  templateId: string;
  page: string;
  data: SubscribeData;
}

/**
 * Mini-program pages the cards open. The rights pages are not built yet; the paths are where the
 * mini program will put them (WeChat opens the home page when a path is unknown in a build).
 */
export const PAGES = {
  application: (kind: ApplicationKind, id: number) => `packages/rights/pages/detail/index?kind=${kind}&id=${id}`,
  evaluation: (entityId: number) => `packages/credit/pages/breakdown/index?entityId=${entityId}`,
};

/** Values as the subscribe-message keyword types demand: thing ≤ 20 characters, phrase ≤ 5 Han. */
export function thing(s: string): string {
  const chars = [...s];
  return chars.length <= 20 ? s : `${chars.slice(0, 19).join('')}…`;
}

/** Short result words for the decision card's phrase field (≤ 5 Han characters). */
const RESULT_PHRASE: Record<ApplicationKind, Partial<Record<ApplicationStatus, string>>> = {
  objection: { accepted: '已受理', returned: '待补正', upheld: '异议成立', rejected: '异议不成立' },
  good_info: { accepted: '已受理', returned: '待补正', confirmed: '已确认', rejected: '未予确认' },
  repair: { accepted: '已受理', returned: '待补正', approved: '已修复', rejected: '不予修复' },
};

/** What the in-app messages list shows of a notice, and the page it opens. */
export interface InboxEntry {
  title: string;
  body: string;
  link:
    | { kind: 'application'; applicationKind: ApplicationKind; id: number }
    | { kind: 'evaluation'; id: null }
    | { kind: 'loan_application'; id: number };
}

/**
 * Keeps a notice in the user's in-app messages (消息), once per message id: a retried sender or a
 * re-run handler writes nothing twice.
 */
export async function recordInbox(
  sql: Sql,
  m: { userId: number; messageId: string; topic: string; entityId: number | null; inbox: InboxEntry; at: Date },
): Promise<void> {
  const l = m.inbox.link;
  await sql.prisma.userMessage.createMany({
    data: [
      {
        userId: m.userId,
        entityId: m.entityId,
        messageKey: m.messageId,
        topic: m.topic,
        title: m.inbox.title,
        body: m.inbox.body,
        linkKind: l.kind,
        linkId: l.id,
        applicationKind: l.kind === 'application' ? l.applicationKind : null,
        createdAt: m.at,
      },
    ],
    skipDuplicates: true,
  });
}

/**
 * Keeps the notice in the user's in-app messages, then queues a subscribe message if the user
 * accepted the template, consuming one acceptance (each wx.requestSubscribeMessage "accept" allows
 * one message). Without an unused acceptance no subscribe message is queued: WeChat would refuse it
 * anyway, and the user said no; the in-app message is there all the same.
 */
export async function messageUser(
  sql: Sql,
  m: {
    userId: number;
    templateId: string;
    messageId: string;
    topic: string;
    entityId: number | null;
    page: string;
    data: SubscribeData;
    inbox: InboxEntry;
    at: Date;
  },
): Promise<boolean> {
  await recordInbox(sql, m);
  // Raw SQL: FOR UPDATE SKIP LOCKED, so concurrent senders never consume the same acceptance.
  const consent = await sql.query(
    `UPDATE subscribe_consent SET used_at = now()
     WHERE id = (SELECT id FROM subscribe_consent WHERE user_id = $1 AND template_id = $2 AND used_at IS NULL
                 ORDER BY granted_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [m.userId, m.templateId],
  );
  if (!consent.length) return false;
  const payload: WechatPayload = { userId: m.userId, templateId: m.templateId, page: m.page, data: m.data };
  return enqueue(sql, {
    messageId: m.messageId,
    destination: `wechat:${m.userId}`,
    topic: m.topic,
    entityId: m.entityId,
    payload: payload as unknown as Record<string, unknown>,
  });
}

/** Tells the applicant about a decision on their application (受理, 退回补正, and the outcome). */
export async function messageDecision(
  sql: Sql,
  templates: Templates,
  d: {
    kind: ApplicationKind;
    id: number;
    userId: number;
    entityId: number;
    status: ApplicationStatus;
    note: string | null;
    at: Date;
    /** The decision's effect on the score, when it re-scored: said in the in-app message. */
    score?: { before: number; after: number; gradeBefore: string; gradeAfter: string } | null;
  },
): Promise<boolean> {
  const phrase = RESULT_PHRASE[d.kind][d.status] ?? '已办理';
  const status = APPLICATION_STATUS_LABELS[d.kind][d.status];
  const note = d.note?.trim();
  // The title says the status; the body says what to do or why, never the status again.
  const body =
    d.status === 'returned'
      ? `请按要求补正材料后重新提交${note ? `：${note}` : ''}`
      : note
        ? note
        : d.status === 'accepted'
          ? '信用工作机构已受理，将在办理期限内作出决定，请留意后续消息。'
          : `${APPLICATION_KIND_LABELS[d.kind]}申请已办结。`;
  const moved = d.score && d.score.after !== d.score.before ? d.score : null;
  const scoreLine = moved
    ? `信用分 ${moved.before} → ${moved.after} 分${moved.gradeAfter !== moved.gradeBefore ? `，等级 ${moved.gradeBefore} → ${moved.gradeAfter} 级` : ''}。`
    : '';
  return messageUser(sql, {
    at: d.at,
    inbox: {
      title: `${APPLICATION_KIND_LABELS[d.kind]}：${status}`,
      body: scoreLine ? `${body}${/[。！？]$/.test(body) ? '' : '。'}${scoreLine}` : body,
      link: { kind: 'application', applicationKind: d.kind, id: d.id },
    },
    userId: d.userId,
    templateId: templates.decision,
    messageId: `${d.kind}.${d.status}:${d.id}`,
    topic: `${d.kind}.decided`,
    entityId: d.entityId,
    page: PAGES.application(d.kind, d.id),
    data: {
      thing1: { value: thing(APPLICATION_KIND_LABELS[d.kind]) },
      phrase2: { value: phrase },
      thing3: { value: thing(d.note?.trim() || APPLICATION_STATUS_LABELS[d.kind][d.status]) },
      time4: { value: chinaDateTime(d.at) },
    },
  });
}

/**
 * Tells the applicant that the decision deadline moved: a provisional date was recomputed when the
 * year's official holiday schedule was loaded.
 */
export async function messageDeadlineMoved(
  sql: Sql,
  templates: Templates,
  d: { kind: ApplicationKind; id: number; userId: number; entityId: number; dueOn: string; at: Date },
): Promise<boolean> {
  return messageUser(sql, {
    at: d.at,
    inbox: {
      title: `${APPLICATION_KIND_LABELS[d.kind]}：办理期限已调整`,
      body: `国务院公布当年节假日安排后重新计算，办理期限调整为 ${d.dueOn}`,
      link: { kind: 'application', applicationKind: d.kind, id: d.id },
    },
    userId: d.userId,
    templateId: templates.decision,
    messageId: `${d.kind}.deadline:${d.id}:${d.dueOn}`,
    topic: `${d.kind}.deadline_moved`,
    entityId: d.entityId,
    page: PAGES.application(d.kind, d.id),
    data: {
      thing1: { value: thing(APPLICATION_KIND_LABELS[d.kind]) },
      phrase2: { value: '期限调整' },
      thing3: { value: thing(`办理期限调整为${d.dueOn}`) },
      time4: { value: chinaDateTime(d.at) },
    },
  });
}

/**
 * The internal `grade.changed` event (written by the evaluation writer, in any re-score: a
 * decision, an ingestion, the daily cycle) becomes a subscribe message to every user bound to the
 * entity who accepted the grade template.
 */
export function gradeChangedHandler(templates: Templates): InternalHandler {
  return async (sql: Sql, m: ClaimedMessage) => {
    const p = m.payload as {
      entityId: number;
      evaluationId: string;
      from: string | null;
      to: string;
      total: number;
      asOf: string;
    };
    const e = await sql.prisma.entity.findFirst({ where: { id: p.entityId }, select: { name: true } });
    if (!e) return;
    const users = await sql.prisma.enterpriseBinding.findMany({
      where: { entityId: p.entityId, revokedAt: null },
      select: { userId: true },
      distinct: ['userId'],
      orderBy: { userId: 'asc' },
    });
    const change = p.from ? `信用等级由${p.from}级变为${p.to}级` : `信用等级为${p.to}级`;
    for (const u of users)
      await messageUser(sql, {
        at: new Date(p.asOf),
        inbox: {
          title: '信用等级变化',
          body: `${e.name}${change}，得分 ${p.total} 分`,
          link: { kind: 'evaluation', id: null },
        },
        userId: u.userId,
        templateId: templates.grade,
        messageId: `grade.changed:${p.evaluationId}`,
        topic: 'grade.changed',
        entityId: p.entityId,
        page: PAGES.evaluation(p.entityId),
        data: {
          thing1: { value: thing(e.name) },
          thing2: { value: thing(change) },
          number3: { value: String(p.total) },
          time4: { value: chinaDateTime(new Date(p.asOf)) },
        },
      });
  };
}
