import { AppError, ErrorCodes } from '../errors';
import type { ApplicationKind } from './labels';

/**
 * One state machine for the three rights; only the names of the favourable outcome differ.
 *
 *   submitted ──accept──▶ accepted ──uphold/confirm/approve──▶ upheld / confirmed / approved
 *       │  ▲                 │  └──────reject──────▶ rejected
 *       │  └──resubmit── returned ◀──return──┘
 *       ├──return──▶ returned
 *       └──reject──▶ rejected          (不予受理: inadmissible on its face)
 *
 * A favourable decision needs an accepted application: staff first confirm the material is
 * complete (受理), then decide. Returning for material (退回补正) pauses the case; resubmitting
 * starts a fresh time limit from the resubmission date (补正后重新计算).
 */
export const APPLICATION_STATUSES = [
  'submitted',
  'accepted',
  'returned',
  'upheld',
  'confirmed',
  'approved',
  'rejected',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const OPEN_STATUSES: readonly ApplicationStatus[] = ['submitted', 'accepted', 'returned'];
/** Statuses whose time limit is running: the agency holds the case. */
export const RUNNING_STATUSES: readonly ApplicationStatus[] = ['submitted', 'accepted'];

export type StaffAction = 'accept' | 'return' | 'reject' | 'uphold' | 'confirm' | 'approve';
export type ApplicationAction = StaffAction | 'resubmit';

/** The favourable decision of each kind, and the status it leads to. */
export const FAVOURABLE: Record<
  ApplicationKind,
  { action: 'uphold' | 'confirm' | 'approve'; status: ApplicationStatus }
> = {
  objection: { action: 'uphold', status: 'upheld' },
  good_info: { action: 'confirm', status: 'confirmed' },
  repair: { action: 'approve', status: 'approved' },
};

export const APPLICATION_STATUS_LABELS: Record<ApplicationKind, Record<ApplicationStatus, string>> = {
  objection: {
    submitted: '已提交，待受理',
    accepted: '已受理，核查中',
    returned: '待补正材料',
    upheld: '异议成立',
    confirmed: '异议成立',
    approved: '异议成立',
    rejected: '异议不成立',
  },
  good_info: {
    submitted: '已提交，待受理',
    accepted: '已受理，核实中',
    returned: '待补正材料',
    upheld: '已确认',
    confirmed: '已确认',
    approved: '已确认',
    rejected: '未予确认',
  },
  repair: {
    submitted: '已提交，待受理',
    accepted: '已受理，审核中',
    returned: '待补正材料',
    upheld: '已修复',
    confirmed: '已修复',
    approved: '已修复',
    rejected: '不予修复',
  },
};

export function isOpen(status: ApplicationStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * The status `action` leads to from `from`, or APPLICATION_STATE when the action is not allowed
 * there (deciding twice, deciding before acceptance, resubmitting what was not returned).
 */
export function nextStatus(
  kind: ApplicationKind,
  from: ApplicationStatus,
  action: ApplicationAction,
): ApplicationStatus {
  const favourable = FAVOURABLE[kind];
  const to = ((): ApplicationStatus | null => {
    switch (action) {
      case 'accept':
        return from === 'submitted' ? 'accepted' : null;
      case 'return':
        return from === 'submitted' || from === 'accepted' ? 'returned' : null;
      case 'reject':
        return from === 'submitted' || from === 'accepted' ? 'rejected' : null;
      case 'resubmit':
        return from === 'returned' ? 'submitted' : null;
      default:
        return action === favourable.action && from === 'accepted' ? favourable.status : null;
    }
  })();
  if (to === null) {
    const label = APPLICATION_STATUS_LABELS[kind][from];
    const hint =
      action === favourable.action && from === 'submitted' ? '，请先受理' : isOpen(from) ? '' : '，该申请已办结';
    throw new AppError(ErrorCodes.APPLICATION_STATE, `当前状态为"${label}"，不能执行该操作${hint}`);
  }
  return to;
}
