import type { StaffRole } from '@web/api/session';

/**
 * The console's pages and who may open them. The menu shows only what the role may use; the
 * router refuses the rest; and the API refuses it anyway (every endpoint declares its callers).
 */
export interface NavItem {
  path: string;
  label: string;
  roles: readonly StaffRole[];
}

export const ROLE_LABELS: Record<StaffRole, string> = {
  reviewer: '审核人员',
  admin: '管理员',
  investment_officer: '招商专员',
};

export const NAV: readonly NavItem[] = [
  { path: '/review', label: '审核工作台', roles: ['reviewer', 'admin'] },
  { path: '/review/overdue', label: '督办（已超期）', roles: ['reviewer', 'admin'] },
  { path: '/invest', label: '企业查询与核查', roles: ['investment_officer', 'admin'] },
  { path: '/invest/screening', label: '优质企业筛选', roles: ['investment_officer', 'admin'] },
  { path: '/invest/lists', label: '筛选清单', roles: ['investment_officer', 'admin'] },
  { path: '/invest/checks', label: '核查报告', roles: ['investment_officer', 'admin'] },
  { path: '/invest/park-check', label: '入园核查', roles: ['investment_officer', 'admin'] },
  { path: '/invest/watch', label: '关注预警', roles: ['investment_officer', 'admin'] },
  { path: '/invest/chains', label: '产业链配置', roles: ['admin'] },
  { path: '/cases', label: '诚信典型案例', roles: ['reviewer', 'admin'] },
  { path: '/dashboard', label: '跟踪评估', roles: ['reviewer', 'admin', 'investment_officer'] },
  { path: '/models', label: '评价模型', roles: ['admin'] },
  { path: '/ops/subscriptions', label: '推送订阅', roles: ['admin'] },
  { path: '/ops/calendar', label: '节假日安排', roles: ['admin'] },
  { path: '/ops/api-clients', label: 'API 客户端', roles: ['admin'] },
  { path: '/ops/staff', label: '工作人员账号', roles: ['admin'] },
  { path: '/ops/audit', label: '审计日志', roles: ['admin'] },
];

export const navFor = (role: StaffRole): NavItem[] => NAV.filter((n) => n.roles.includes(role));

export function mayOpen(role: StaffRole, pathname: string): boolean {
  const item = [...NAV].sort((a, b) => b.path.length - a.path.length).find((n) => pathname.startsWith(n.path));
  return !item || item.roles.includes(role);
}

/** Where a role lands after sign-in. */
export const homeOf = (role: StaffRole): string => navFor(role)[0]?.path ?? '/dashboard';
