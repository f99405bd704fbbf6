/** The advisory notice, checked against shared's at compile time (a type-only import: no zod in this package). */
export const NOTICE: typeof import('@heihe/shared').RESULT_NOTICE = '参考使用，不作为失信惩戒的直接依据';

/** The report package's words (kept here: the app-wide dictionary belongs to the pages it serves). */
export const REPORT_TEXT = {
  title: '信用报告',
  newReport: '出具信用报告',
  intro: '报告为 PDF 文件，依照国家公共信用信息报告格式，封面印有报告编号、验证码和二维码，对方扫码即可核验真伪。',
  purpose: '报告用途',
  purposeHint: '用途印在报告封面，请如实填写',
  purposePlaceholder: '请填写报告用途，如：某银行贷款申请',
  purposes: {
    loan: '银行贷款',
    tender: '招标投标',
    park: '园区入驻',
    honour: '评优评先',
    other: '其他用途',
  },
  generate: '生成报告',
  generating: '正在生成…',
  created: '报告已生成',
  code: '验证码',
  codeHint: '验证码已印在报告封面，对方可在“信用中国（黑河）”核验页输入报告编号和验证码核验。',
  open: '预览并分享',
  opening: '正在打开…',
  history: '已出具的报告',
  none: '还没有出具过信用报告',
  noneHint: '生成的报告会列在这里，可随时再次打开、转发。',
  reportNo: '报告编号',
  generatedAt: '生成时间',
  validUntil: '有效期至',
  expired: '已过期',
  valid: '有效',
  grade: (g: string | null, score: number | null) => (g ? `信用等级 ${g}（${score} 分）` : '暂无评价'),
  byStaff: '信用工作机构出具',
  purposeTooShort: '报告用途至少 2 个字',
  shareHint: '在文件预览页点右上角“…”，可转发给微信好友或保存到手机。',
} as const;

export type PurposeKey = keyof typeof REPORT_TEXT.purposes;
export const PURPOSE_KEYS = Object.keys(REPORT_TEXT.purposes) as PurposeKey[];

/** The purpose printed on the cover: the chosen kind, with the detail the user typed. */
export function purposeOf(kind: PurposeKey | null, detail: string): string {
  const d = detail.trim();
  if (kind === null || kind === 'other') return d;
  const label = REPORT_TEXT.purposes[kind];
  return d ? `${label}（${d}）` : label;
}
