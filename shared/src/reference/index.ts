/**
 * Reference data every app names in words: Heihe's county-level divisions (GB/T 2260), the
 * sections of the national industry classification (GB/T 4754-2017), and who acted.
 */

/** 黑河市's county-level divisions; 2311 is the city's own prefix. */
export const HEIHE_DIVISIONS = [
  { code: '231102', name: '爱辉区' },
  { code: '231123', name: '逊克县' },
  { code: '231124', name: '孙吴县' },
  { code: '231181', name: '北安市' },
  { code: '231182', name: '五大连池市' },
  { code: '231183', name: '嫩江市' },
] as const;

/** GB/T 4754-2017 门类: the letter an industry code starts with. */
export const INDUSTRY_SECTIONS = [
  { code: 'A', name: '农、林、牧、渔业' },
  { code: 'B', name: '采矿业' },
  { code: 'C', name: '制造业' },
  { code: 'D', name: '电力、热力、燃气及水生产和供应业' },
  { code: 'E', name: '建筑业' },
  { code: 'F', name: '批发和零售业' },
  { code: 'G', name: '交通运输、仓储和邮政业' },
  { code: 'H', name: '住宿和餐饮业' },
  { code: 'I', name: '信息传输、软件和信息技术服务业' },
  { code: 'J', name: '金融业' },
  { code: 'K', name: '房地产业' },
  { code: 'L', name: '租赁和商务服务业' },
  { code: 'M', name: '科学研究和技术服务业' },
  { code: 'N', name: '水利、环境和公共设施管理业' },
  { code: 'O', name: '居民服务、修理和其他服务业' },
  { code: 'P', name: '教育' },
  { code: 'Q', name: '卫生和社会工作' },
  { code: 'R', name: '文化、体育和娱乐业' },
  { code: 'S', name: '公共管理、社会保障和社会组织' },
  { code: 'T', name: '国际组织' },
] as const;

/** "爱辉区" for 231102; the code itself for a division outside Heihe. */
export function divisionName(code: string): string {
  return HEIHE_DIVISIONS.find((d) => d.code === code)?.name ?? code;
}

/** "C 制造业" for C1391: the section an industry code belongs to. */
export function industrySectionName(code: string): string {
  const s = INDUSTRY_SECTIONS.find((x) => x.code === code.charAt(0));
  return s ? `${s.code} ${s.name}` : code;
}

/** The staff roles in words. */
export const STAFF_ROLE_NAMES: Readonly<Record<string, string>> = {
  reviewer: '审核人员',
  admin: '管理员',
  investment_officer: '招商专员',
};

/**
 * Who acted, in words, as screens, exports and reports show it: 'staff:reviewer:wang' or
 * 'investment_officer:wang' → 'wang（审核人员）' / 'wang（招商专员）', 'user:1' → '企业用户'.
 */
export function actorLabel(actor: string | null | undefined): string {
  if (!actor) return '—';
  const staff = /^(?:staff:)?(reviewer|admin|investment_officer):(.+)$/.exec(actor);
  if (staff) return `${staff[2]}（${STAFF_ROLE_NAMES[staff[1]!]}）`;
  if (actor.startsWith('user:') || actor === 'enterprise') return '企业用户';
  if (actor === 'system') return '系统';
  if (actor === 'staff') return '工作人员';
  return actor;
}

export * from './audit';
