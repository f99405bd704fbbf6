/**
 * The vocabulary of the three rights (权益保护): objection grounds, good-information categories and
 * repair materials, with the Chinese labels credit portals use. Codes are stored; labels are shown.
 */
export const APPLICATION_KINDS = ['objection', 'good_info', 'repair'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

export const APPLICATION_KIND_LABELS: Record<ApplicationKind, string> = {
  objection: '信用异议',
  good_info: '良好信息上报',
  repair: '信用修复',
};

/** 异议理由, in the order credit portals list them. */
export const OBJECTION_GROUNDS = [
  'wrong',
  'missing',
  'duplicate',
  'should_not_publish',
  'overdue_publication',
  'authority_mismatch',
] as const;
export type ObjectionGround = (typeof OBJECTION_GROUNDS)[number];

export const OBJECTION_GROUND_LABELS: Record<ObjectionGround, string> = {
  wrong: '错误',
  missing: '遗漏',
  duplicate: '重复公示',
  should_not_publish: '不应公示',
  overdue_publication: '超期公示',
  authority_mismatch: '与认定机关不一致',
};

/** 自主上报良好信息 categories. An honour becomes an `honour` record, the rest `welfare` records. */
export const GOOD_INFO_CATEGORIES = ['honour', 'charity', 'volunteering', 'employment', 'contract'] as const;
export type GoodInfoCategory = (typeof GOOD_INFO_CATEGORIES)[number];

export const GOOD_INFO_CATEGORY_LABELS: Record<GoodInfoCategory, string> = {
  honour: '荣誉表彰',
  charity: '公益慈善',
  volunteering: '志愿服务',
  employment: '就业帮扶',
  contract: '守合同重信用',
};

export const HONOUR_LEVELS = ['national', 'provincial', 'city'] as const;
export type HonourLevel = (typeof HONOUR_LEVELS)[number];

export const HONOUR_LEVEL_LABELS: Record<HonourLevel, string> = {
  national: '国家级',
  provincial: '省级',
  city: '市级',
};

/**
 * The record a confirmed report becomes (SCORING.md: "Self-reported good information becomes an
 * honour or welfare record once the agency confirms it"). The record's category is what the
 * model's bonus rules key on: the honour level, or the welfare category itself.
 */
export function goodInfoRecord(
  category: GoodInfoCategory,
  level: HonourLevel | null,
): {
  kind: 'honour' | 'welfare';
  category: string;
} {
  if (category === 'honour') {
    if (level === null) throw new RangeError('an honour needs its level');
    return { kind: 'honour', category: level };
  }
  return { kind: 'welfare', category };
}

/** 信用修复 materials: the commitment letter and proof of fulfilment are required. */
export const REPAIR_MATERIAL_TYPES = [
  'commitment_letter',
  'fulfilment_proof',
  'training_certificate',
  'other',
] as const;
export type RepairMaterialType = (typeof REPAIR_MATERIAL_TYPES)[number];

export const REPAIR_MATERIAL_LABELS: Record<RepairMaterialType, string> = {
  commitment_letter: '信用修复承诺书',
  fulfilment_proof: '履行证明（罚款缴纳凭证或整改说明）',
  training_certificate: '信用修复培训证明',
  other: '其他材料',
};

export const REQUIRED_REPAIR_MATERIALS: readonly RepairMaterialType[] = ['commitment_letter', 'fulfilment_proof'];
