import {
  decideGoodInfoReportSchema,
  decideObjectionSchema,
  decideRepairApplicationSchema,
  FAVOURABLE,
  type ApplicationKind,
} from '@heihe/shared';
import { data, type Client, type Ok } from '@web/api/client';

export type ObjectionCase = Ok<'getObjection'>;
export type GoodInfoCase = Ok<'getGoodInfoReport'>;
export type RepairCase = Ok<'getRepairApplication'>;
export type CaseView =
  | { kind: 'objection'; view: ObjectionCase }
  | { kind: 'good_info'; view: GoodInfoCase }
  | { kind: 'repair'; view: RepairCase };
export type AnyCase = CaseView['view'];

export type Action = 'accept' | 'return' | 'reject' | 'uphold' | 'confirm' | 'approve';

export const isKind = (k: string | undefined): k is ApplicationKind =>
  k === 'objection' || k === 'good_info' || k === 'repair';

export async function fetchCase(client: Client, kind: ApplicationKind, id: string): Promise<CaseView> {
  const path = { params: { path: { id } } };
  switch (kind) {
    case 'objection':
      return { kind, view: await data(client.GET('/api/objections/{id}', path)) };
    case 'good_info':
      return { kind, view: await data(client.GET('/api/good-info-reports/{id}', path)) };
    case 'repair':
      return { kind, view: await data(client.GET('/api/repair-applications/{id}', path)) };
  }
}

/** The shared schema the API validates a decision with, per kind. */
export const DECISION_SCHEMAS = {
  objection: decideObjectionSchema,
  good_info: decideGoodInfoReportSchema,
  repair: decideRepairApplicationSchema,
} as const;

export async function decide(client: Client, kind: ApplicationKind, id: string, body: unknown): Promise<AnyCase> {
  const path = { params: { path: { id } } };
  switch (kind) {
    case 'objection':
      return data(client.POST('/api/objections/{id}/decision', { ...path, body: decideObjectionSchema.parse(body) }));
    case 'good_info':
      return data(
        client.POST('/api/good-info-reports/{id}/decision', { ...path, body: decideGoodInfoReportSchema.parse(body) }),
      );
    case 'repair':
      return data(
        client.POST('/api/repair-applications/{id}/decision', {
          ...path,
          body: decideRepairApplicationSchema.parse(body),
        }),
      );
  }
}

/** The actions the workflow allows from a status (shared/rights/workflow.ts nextStatus). */
export function actionsFor(kind: ApplicationKind, status: string): Action[] {
  if (status === 'submitted') return ['accept', 'return', 'reject'];
  if (status === 'accepted') return [FAVOURABLE[kind].action, 'return', 'reject'];
  return [];
}

export const ACTION_LABELS: Record<ApplicationKind, Record<Action, string>> = {
  objection: { accept: '受理', return: '退回补正', reject: '驳回', uphold: '异议成立', confirm: '', approve: '' },
  good_info: { accept: '受理', return: '退回补正', reject: '不予确认', uphold: '', confirm: '确认信息', approve: '' },
  repair: { accept: '受理', return: '退回补正', reject: '不予修复', uphold: '', confirm: '', approve: '准予修复' },
};

/** What a decision does, in the words the confirmation shows before it is sent. */
export function effectOf(kind: ApplicationKind, action: Action, status: string, correction?: string): string {
  switch (action) {
    case 'accept':
      return '受理：确认材料齐全，进入核查；办理期限继续计算，企业可看到"已受理"。';
    case 'return':
      return '退回补正：办理期限暂停，企业补正后重新计算 7 个工作日；记录与评分不变。';
    case 'reject':
      return status === 'submitted'
        ? '不予受理：案件办结，记录与评分不变，企业收到书面理由。'
        : '驳回：案件办结，记录与评分不变，企业收到书面理由。';
    case 'uphold':
      return correction === 'correct'
        ? '异议成立并更正：该记录按更正内容生成新版本，企业立即重新评分，并通知行业主管部门。'
        : '异议成立并撤销：该记录撤销、不再计分，企业立即重新评分，并通知行业主管部门。';
    case 'confirm':
      return '确认：生成一条良好信息记录（荣誉表彰或社会公益），企业立即重新评分。';
    case 'approve':
      return '准予修复：该记录标记为已修复、停止公示与计分，企业立即重新评分，并通知行业主管部门。';
  }
  return kind;
}
