import type { Database } from '../db/database';
/**
 * The demo banks' 信易贷 products, keyed by (bank, name): `npm start` runs this on every start and
 * creates only the missing ones, so a bank's own edits to a demo product stay.
 */
export const DEMO_LOAN_PRODUCTS: ReadonlyArray<{
  bankIndex: 0 | 1;
  name: string;
  description: string;
  minAmount: number;
  maxAmount: number;
  minRateBp: number;
  maxRateBp: number;
  termMonths: number;
  minGrade: 'A' | 'B' | 'C' | 'D' | 'E';
  industries: string[];
  regions: string[];
  slaDays: number;
}> = [
  {
    bankIndex: 0,
    name: '诚信贷',
    description: '面向信用等级 A 级企业的纯信用流动资金贷款，无需抵押担保，随借随还。',
    minAmount: 10,
    maxAmount: 500,
    minRateBp: 345,
    maxRateBp: 435,
    termMonths: 36,
    minGrade: 'A',
    industries: [],
    regions: ['2311'],
    slaDays: 3,
  },
  {
    bankIndex: 0,
    name: '边贸通',
    description: '支持对俄边境贸易企业备货与结算的信用贷款。',
    minAmount: 20,
    maxAmount: 300,
    minRateBp: 385,
    maxRateBp: 475,
    termMonths: 12,
    minGrade: 'B',
    industries: ['F', 'C13'],
    regions: ['231181', '231102'],
    slaDays: 5,
  },
  {
    bankIndex: 1,
    name: '农担信用贷',
    description: '面向农业及农副食品加工企业的信用贷款，政府性融资担保增信。',
    minAmount: 5,
    maxAmount: 300,
    minRateBp: 385,
    maxRateBp: 520,
    termMonths: 24,
    minGrade: 'B',
    industries: ['A', 'C13'],
    regions: ['2311'],
    slaDays: 5,
  },
  {
    bankIndex: 1,
    name: '小微快贷',
    description: '小微企业线上信用贷款，最快两天内给出授信结果。',
    minAmount: 1,
    maxAmount: 100,
    minRateBp: 435,
    maxRateBp: 650,
    termMonths: 12,
    minGrade: 'C',
    industries: [],
    regions: [],
    slaDays: 2,
  },
];

/** Upserts the demo products of the two demo banks (given by their api_client ids, in order). */
export async function seedDemoLoanProducts(db: Database, bankIds: readonly [number, number]): Promise<void> {
  for (const { bankIndex, ...p } of DEMO_LOAN_PRODUCTS) {
    const bankId = bankIds[bankIndex];
    await db.prisma.loanProduct.upsert({
      where: { bankId_name: { bankId, name: p.name } },
      create: { ...p, bankId },
      update: {},
    });
  }
}
