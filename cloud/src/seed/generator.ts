import {
  makeIdNumber,
  makeUscc,
  type FinancingRow,
  type InvestmentRow,
  type KeyPersonRow,
  type RecordRow,
  type RegistrationRow,
  type ShareholderRow,
} from '@heihe/shared';

type Row =
  | (Omit<RegistrationRow, 'status'> & { status: RegistrationRow['status'] })
  | RecordRow
  | ShareholderRow
  | InvestmentRow
  | FinancingRow
  | KeyPersonRow;
export type DemoRow = Row;

/** mulberry32: small, fast and deterministic; the demo data must be the same for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['231102', '231102', '231102', '231123', '231124', '231181', '231181', '231182', '231183'];
const INDUSTRIES: [string, string][] = [
  ['A0111', '农业'],
  ['A0190', '种植'],
  ['C1310', '粮食加工'],
  ['C1511', '酒业'],
  ['C2710', '药业'],
  ['D4411', '能源'],
  ['E4710', '建设'],
  ['F5121', '商贸'],
  ['F5191', '进出口贸易'],
  ['G5431', '物流'],
  ['H6110', '酒店管理'],
  ['I6510', '信息技术'],
  ['L7212', '投资'],
  ['M7320', '科技'],
  ['N7711', '环境治理'],
];
const NAME_WORDS = [
  '龙江',
  '黑龙',
  '北疆',
  '兴安',
  '瑷珲',
  '五大连池',
  '嫩江',
  '中俄',
  '北极',
  '金穗',
  '寒地',
  '松岭',
  '沃土',
  '鑫源',
  '恒通',
  '华瑞',
  '远东',
  '大黑河',
  '北方',
  '界江',
  '晟达',
  '丰泽',
  '锦程',
  '宏图',
  '森旺',
  '瑞雪',
  '边城',
  '富民',
  '兴边',
  '天成',
];
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '于',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建国',
  '志强',
  '海燕',
  '春雨',
  '晓东',
  '立新',
  '玉兰',
  '德胜',
];
const AUTHORITIES = [
  '黑河市市场监督管理局',
  '黑河市生态环境局',
  '黑河市应急管理局',
  '黑河市税务局',
  '黑河市交通运输局',
  '爱辉区市场监督管理局',
  '北安市市场监督管理局',
];
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const SOURCE = 'hlj-credit-platform';

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

function base31(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = USCC_ALPHABET[n % 31] + s;
    n = Math.floor(n / 31);
  }
  return s;
}

/** A valid USCC for entity number i in region `region` (positions 9–17 encode i). */
export function demoUscc(i: number, region: string): string {
  return makeUscc(`91${region}MA${base31(i, 7)}`);
}

function demoIdNumber(r: () => number, i: number): string {
  const region = pick(r, REGIONS);
  const year = 1955 + Math.floor(r() * 45);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const seq = String(i % 1000).padStart(3, '0');
  return makeIdNumber(`${region}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${seq}`);
}

export interface DemoOptions {
  entities: number;
  seed: number;
  /** Dates are laid out relative to this day, so the demo stays believable whenever it is made. */
  asOf: string;
  /** Append the ownership structure of the investment checks (`investDemoRows`), after the population. */
  investDemo?: boolean;
}

interface Person {
  name: string;
  idNumber: string;
}

/**
 * Demo data that looks like a Heihe delivery: valid USCCs and ID numbers, plausible industries,
 * ages and capital, a record mix that spreads grades from A to E, and shareholdings that tie
 * entities to each other, with legal representatives who hold other companies.
 */
export function* generateDemoRows(opts: DemoOptions): Generator<DemoRow> {
  const r = prng(opts.seed);
  const people: Person[] = [];
  const personCount = Math.max(1, Math.ceil(opts.entities * 0.8));
  for (let i = 0; i < personCount; i++) {
    people.push({ name: pick(r, SURNAMES) + pick(r, GIVEN), idNumber: demoIdNumber(r, i) });
  }
  const usccs: string[] = [];
  for (let i = 0; i < opts.entities; i++) usccs.push(demoUscc(i + opts.seed * 7919, pick(r, REGIONS)));

  for (let i = 0; i < opts.entities; i++) {
    const uscc = usccs[i]!;
    const region = uscc.slice(2, 8);
    const [industry, word] = pick(r, INDUSTRIES);
    const ageDays = Math.floor(r() ** 1.6 * 365 * 25) + 30;
    const established = addDays(opts.asOf, -ageDays);
    const capitalTier = r();
    const registered =
      Math.round(
        (capitalTier < 0.4 ? 5e5 + r() * 1.5e6 : capitalTier < 0.8 ? 2e6 + r() * 2e7 : 2e7 + r() * 2e8) / 1e4,
      ) * 1e4;
    const paid = Math.round((registered * (0.3 + r() * 0.7)) / 1e4) * 1e4;
    const rep = people[i % personCount]!;
    const key = (k: string) => `${uscc}-${k}`;
    yield {
      type: 'registration',
      sourceSystem: SOURCE,
      sourceId: key('REG'),
      uscc,
      name: `黑河${pick(r, NAME_WORDS)}${word}${r() < 0.85 ? '有限公司' : '股份有限公司'}`,
      entityType: r() < 0.85 ? '有限责任公司' : '股份有限公司',
      status: 'active',
      establishedOn: established,
      registeredCapital: registered,
      paidInCapital: paid,
      industryCode: industry,
      regionCode: region,
      legalRepName: rep.name,
      legalRepIdNumber: rep.idNumber,
    };

    const rec = (k: string, fields: Partial<RecordRow> & Pick<RecordRow, 'kind' | 'occurredOn'>): RecordRow => ({
      type: 'record',
      sourceSystem: SOURCE,
      sourceId: key(k),
      uscc,
      status: 'active',
      category: null,
      severity: null,
      amount: null,
      grade: null,
      validFrom: null,
      validTo: null,
      documentNo: null,
      authority: null,
      summary: null,
      ...fields,
    });
    const asOfYear = Number(opts.asOf.slice(0, 4));
    const within = (days: number) => addDays(opts.asOf, -Math.floor(r() * days));
    const diligence = r();

    for (let y = asOfYear - 3; y < asOfYear; y++) {
      if (`${y}-12-31` < established) continue;
      const onTime = r() < 0.55 + diligence * 0.45;
      yield rec(`AR${y}`, {
        kind: 'annual_report',
        amount: y,
        category: onTime ? 'on_time' : 'late',
        occurredOn: onTime ? `${y + 1}-05-20` : `${y + 1}-08-15`,
      });
    }
    const g = r() * (0.6 + diligence * 0.4);
    const grade = g > 0.75 ? 'A' : g > 0.4 ? 'B' : g > 0.25 ? 'M' : g > 0.1 ? 'C' : 'D';
    yield rec(`TG${asOfYear - 1}`, { kind: 'tax_grade', grade, amount: asOfYear - 1, occurredOn: `${asOfYear}-04-15` });
    const taxPaid = Math.round(r() ** 3 * 2e7);
    yield rec(`TP${asOfYear - 1}`, { kind: 'tax_paid', amount: taxPaid, occurredOn: `${asOfYear - 1}-12-31` });
    const headcount = Math.round(r() ** 2.5 * 400);
    yield rec(`SI${asOfYear}`, {
      kind: 'social_insurance',
      amount: headcount,
      category: r() < 0.06 ? 'arrears' : 'normal',
      occurredOn: within(60),
    });

    const penalties = r() < 0.35 - diligence * 0.2 ? 1 + Math.floor(r() * 3) : 0;
    for (let p = 0; p < penalties; p++) {
      const s = r();
      const severity = s < 0.5 ? 'minor' : s < 0.9 ? 'general' : 'serious';
      const occurred = within(severity === 'serious' ? 1000 : severity === 'general' ? 360 : 90);
      const authority = pick(r, AUTHORITIES);
      yield rec(`PEN${p}`, {
        kind: 'penalty',
        severity,
        occurredOn: occurred,
        documentNo: `黑${authority.includes('区') ? '爱' : '市'}罚〔${occurred.slice(0, 4)}〕${100 + Math.floor(r() * 900)}号`,
        authority,
        summary: pick(r, [
          '未按规定公示年度报告',
          '销售不符合标准的产品',
          '未按规定设置安全警示标志',
          '超标排放大气污染物',
          '虚假宣传',
          '未按期申报纳税',
        ]),
        amount: Math.round(r() * 50) * 1000,
      });
    }
    if (r() < 0.08 - diligence * 0.05)
      yield rec('ABN', {
        kind: 'abnormal_listing',
        occurredOn: within(700),
        summary: '通过登记的住所或者经营场所无法联系',
        authority: '黑河市市场监督管理局',
      });
    if (r() < 0.06 - diligence * 0.04)
      yield rec('ENF', {
        kind: 'enforcement',
        category: r() < 0.75 ? 'executed' : 'dishonest_executed',
        occurredOn: within(500),
        authority: '黑河市中级人民法院',
        amount: Math.round(r() * 1e6),
      });
    if (r() < 0.05)
      yield rec('ARR', {
        kind: 'arrears',
        category: r() < 0.5 ? 'tax' : 'utility',
        occurredOn: within(300),
        amount: Math.round(r() * 2e5),
      });
    if (r() < 0.03)
      yield rec('LOAN', {
        kind: 'loan_default',
        category: r() < 0.8 ? 'overdue' : 'evasion',
        occurredOn: within(400),
        amount: Math.round(r() * 5e6),
      });
    if (r() < 0.008)
      yield rec('DIS', { kind: 'dishonesty_listing', occurredOn: within(700), authority: '黑河市发展和改革委员会' });
    if (r() < 0.01)
      yield rec('KPL', {
        kind: 'key_person_listing',
        occurredOn: within(700),
        summary: '法定代表人被列入失信被执行人名单',
      });
    if (r() < 0.08 - diligence * 0.04) {
      const s = r();
      yield rec('SAFE', {
        kind: 'safety_violation',
        severity: s < 0.6 ? 'minor' : s < 0.95 ? 'general' : 'serious',
        occurredOn: within(700),
        authority: pick(r, ['黑河市应急管理局', '黑河市生态环境局', '黑河市市场监督管理局']),
      });
    }
    if (r() < 0.1 + diligence * 0.15) {
      const lv = r();
      yield rec('HON', {
        kind: 'honour',
        category: lv < 0.1 ? 'national' : lv < 0.4 ? 'provincial' : 'city',
        occurredOn: within(1000),
        summary: pick(r, ['守合同重信用企业', '纳税信用A级纳税人', '省级专精特新中小企业', '黑河市劳动关系和谐企业']),
      });
    }
    if (r() < 0.12)
      yield rec('WEL', {
        kind: 'welfare',
        category: pick(r, ['charity', 'volunteering', 'employment']),
        occurredOn: within(700),
        summary: '参与公益捐赠',
      });
    if (r() < 0.5)
      yield rec('LIC', {
        kind: 'licence',
        occurredOn: within(1500),
        summary: '食品经营许可证',
        authority: '黑河市市场监督管理局',
      });

    // Ownership ties: a natural-person holder (often the legal representative) and, for some, another entity.
    yield {
      type: 'shareholder',
      sourceSystem: SOURCE,
      sourceId: key('SH0'),
      uscc,
      holderName: rep.name,
      holderUscc: null,
      holderIdNumber: rep.idNumber,
      ratio: 0.6,
      amount: Math.round(registered * 0.6),
    };
    if (i > 0 && r() < 0.35) {
      const parent = Math.floor(r() * i);
      const parentUscc = usccs[parent]!;
      yield {
        type: 'shareholder',
        sourceSystem: SOURCE,
        sourceId: key('SH1'),
        uscc,
        holderName: `关联企业${parent}`,
        holderUscc: parentUscc,
        holderIdNumber: null,
        ratio: 0.4,
        amount: Math.round(registered * 0.4),
      };
      yield {
        type: 'investment',
        sourceSystem: SOURCE,
        sourceId: `${parentUscc}-INV-${uscc}`,
        uscc: parentUscc,
        investeeUscc: uscc,
        investeeName: `被投资企业${i}`,
        ratio: 0.4,
        amount: Math.round(registered * 0.4),
      };
    }
    if (r() < 0.1) {
      yield {
        type: 'financing',
        sourceSystem: SOURCE,
        sourceId: key('FIN0'),
        uscc,
        round: pick(r, ['天使轮', 'A轮', 'B轮', '银行授信', '信易贷']),
        amount: Math.round(r() * 5e7),
        occurredOn: within(900),
        investors: pick(r, ['黑河农商银行', '龙江银行黑河分行', '黑龙江省新产业投资集团', '中国建设银行黑河分行']),
      };
    }
  }
  if (opts.investDemo) yield* investDemoRows(opts.asOf);
}

/** The 黑河 demo persons of the ownership structure: fixed, so tests and the README can name them. */
const INVEST_PERSONS = {
  controller: { name: '赵德胜', idNumber: makeIdNumber('23110219720315201') },
  cycleA: { name: '钱玉兰', idNumber: makeIdNumber('23112419800722302') },
  cycleB: { name: '孙立新', idNumber: makeIdNumber('23118119681109403') },
  minority: { name: '周海燕', idNumber: makeIdNumber('23110219850506504') },
} as const;

/** USCCs of the ownership demo: organisation codes `MB…`, apart from the generated population's `MA…`. */
export function investDemoUscc(k: number): string {
  return makeUscc(`91231102MB${base31(k, 7)}`);
}

/**
 * A target with multi-level holdings for the investment checks (issue 16), the same for every
 * seed: T is held by A 50%, B 30% and a person 20%; A by C 60% and D 40%; B by C 100%; C by the
 * controller 80% and E 20%; D and E hold each other (D ← E 50%, E ← D 30%), each with a person
 * holding the rest. Worked by hand: the controller owns 48% of T (two paths through C) and
 * controls it (C → A → T, each a majority), so T raises 疑似实际控制人 and 受益所有人; the cycle's
 * persons own 2.36/17 and 3.08/17. T was renamed once (a former name to search by); E is a
 * low-grade related party.
 */
export function* investDemoRows(asOf: string): Generator<DemoRow> {
  const SRC = 'hlj-credit-platform';
  const P = INVEST_PERSONS;
  const [T, A, B, C, D, E] = [0, 1, 2, 3, 4, 5].map(investDemoUscc) as [string, string, string, string, string, string];
  const reg = (
    uscc: string,
    name: string,
    industryCode: string,
    years: number,
    capital: number,
    rep: { name: string; idNumber: string },
    sourceId = `${uscc}-REG`,
  ): DemoRow => ({
    type: 'registration',
    sourceSystem: SRC,
    sourceId,
    uscc,
    name,
    entityType: '有限责任公司',
    status: 'active',
    establishedOn: addDays(asOf, -Math.round(years * 365)),
    registeredCapital: capital,
    paidInCapital: Math.round(capital * 0.8),
    industryCode,
    regionCode: '231102',
    legalRepName: rep.name,
    legalRepIdNumber: rep.idNumber,
  });
  const holds = (
    company: string,
    k: string,
    share: number,
    holder: { uscc: string; name: string } | { name: string; idNumber: string },
  ): DemoRow => ({
    type: 'shareholder',
    sourceSystem: SRC,
    sourceId: `${company}-SH-${k}`,
    uscc: company,
    holderName: holder.name,
    holderUscc: 'uscc' in holder ? holder.uscc : null,
    holderIdNumber: 'idNumber' in holder ? holder.idNumber : null,
    ratio: share,
    amount: Math.round(share * 1e7),
  });
  const invests = (investor: string, investee: string, name: string, share: number): DemoRow => ({
    type: 'investment',
    sourceSystem: SRC,
    sourceId: `${investor}-INV-${investee}`,
    uscc: investor,
    investeeUscc: investee,
    investeeName: name,
    ratio: share,
    amount: Math.round(share * 1e7),
  });
  const record = (uscc: string, k: string, fields: Partial<RecordRow> & Pick<RecordRow, 'kind' | 'occurredOn'>) =>
    ({
      type: 'record',
      sourceSystem: SRC,
      sourceId: `${uscc}-${k}`,
      uscc,
      status: 'active',
      category: null,
      severity: null,
      amount: null,
      grade: null,
      validFrom: null,
      validTo: null,
      documentNo: null,
      authority: null,
      summary: null,
      ...fields,
    }) satisfies RecordRow;
  const year = Number(asOf.slice(0, 4));
  const names = {
    T: '黑河北疆大豆科技有限公司',
    A: '黑河瑷珲农业投资有限公司',
    B: '黑河界江粮油贸易有限公司',
    C: '黑河兴边控股有限公司',
    D: '黑河中俄经贸发展有限公司',
    E: '黑河恒通实业有限公司',
  };

  yield reg(T, '黑河北疆豆业有限公司', 'C1331', 8, 3e7, P.controller, `${T}-REG-FORMER`);
  yield reg(T, names.T, 'C1331', 8, 3e7, P.controller);
  yield reg(A, names.A, 'A0121', 10, 2e7, P.controller);
  yield reg(B, names.B, 'F5111', 6, 1e7, P.controller);
  yield reg(C, names.C, 'L7212', 12, 5e7, P.controller);
  yield reg(D, names.D, 'F5191', 5, 1e7, P.cycleA);
  yield reg(E, names.E, 'C1392', 1, 5e6, P.cycleB);

  for (const [uscc, grade, paid, headcount] of [
    [T, 'A', 12e6, 120],
    [A, 'A', 3e6, 40],
    [B, 'B', 8e5, 15],
    [C, 'A', 2e7, 30],
    [D, 'B', 5e5, 12],
  ] as const) {
    yield record(uscc, `TG${year - 1}`, { kind: 'tax_grade', grade, amount: year - 1, occurredOn: `${year}-04-15` });
    yield record(uscc, `TP${year - 1}`, { kind: 'tax_paid', amount: paid, occurredOn: `${year - 1}-12-31` });
    yield record(uscc, `SI${year}`, {
      kind: 'social_insurance',
      amount: headcount,
      category: 'normal',
      occurredOn: addDays(asOf, -20),
    });
  }
  yield record(E, 'PEN0', {
    kind: 'penalty',
    severity: 'general',
    occurredOn: addDays(asOf, -60),
    authority: '黑河市市场监督管理局',
    documentNo: `黑市监罚〔${year}〕57号`,
    summary: '销售不符合标准的产品',
  });
  yield record(E, 'ABN', {
    kind: 'abnormal_listing',
    occurredOn: addDays(asOf, -90),
    authority: '黑河市市场监督管理局',
    summary: '通过登记的住所或者经营场所无法联系',
  });

  yield holds(T, 'A', 0.5, { uscc: A, name: names.A });
  yield holds(T, 'B', 0.3, { uscc: B, name: names.B });
  yield holds(T, 'P', 0.2, P.minority);
  yield holds(A, 'C', 0.6, { uscc: C, name: names.C });
  yield holds(A, 'D', 0.4, { uscc: D, name: names.D });
  yield holds(B, 'C', 1, { uscc: C, name: names.C });
  yield holds(C, 'P', 0.8, P.controller);
  yield holds(C, 'E', 0.2, { uscc: E, name: names.E });
  yield holds(D, 'E', 0.5, { uscc: E, name: names.E });
  yield holds(D, 'P', 0.5, P.cycleA);
  yield holds(E, 'D', 0.3, { uscc: D, name: names.D });
  yield holds(E, 'P', 0.7, P.cycleB);
  yield invests(A, T, names.T, 0.5);
  yield invests(B, T, names.T, 0.3);
  yield invests(C, A, names.A, 0.6);
  yield invests(C, B, names.B, 1);
  yield invests(D, A, names.A, 0.4);

  // The people and the risks around T (issue 16, items 4-6): 赵德胜 also represents 鑫源商贸 (F),
  // a 失信被执行人 in default and tax arrears, in which he and T's supervisor 周海燕 hold shares;
  // 钱玉兰 (the cycle's person) sits on T's board. T took an equity round that no registered
  // change followed. F's revoked penalty is the kind of record the risk scan leaves out.
  const F = investDemoUscc(6);
  const nameF = '黑河鑫源商贸有限公司';
  yield reg(F, nameF, 'F5121', 3, 1e7, P.controller);
  yield holds(F, 'P', 0.6, P.controller);
  yield holds(F, 'M', 0.4, P.minority);
  yield record(F, 'ENF0', {
    kind: 'enforcement',
    category: 'dishonest_executed',
    occurredOn: addDays(asOf, -120),
    authority: '黑河市爱辉区人民法院',
    documentNo: `（${year}）黑1102执恢88号`,
    summary: '有履行能力而拒不履行生效法律文书确定义务',
  });
  yield record(F, 'LD0', {
    kind: 'loan_default',
    category: 'overdue',
    amount: 2.4e6,
    occurredOn: addDays(asOf, -45),
    authority: '黑河农村商业银行',
    summary: '流动资金贷款逾期 90 天以上',
  });
  yield record(F, 'ARR0', {
    kind: 'arrears',
    category: 'tax',
    amount: 3.6e5,
    occurredOn: addDays(asOf, -30),
    authority: '国家税务总局黑河市税务局',
    summary: '欠缴增值税及附加',
  });
  yield record(F, 'PEN0', {
    kind: 'penalty',
    severity: 'general',
    status: 'revoked',
    occurredOn: addDays(asOf, -100),
    authority: '黑河市市场监督管理局',
    documentNo: `黑市监罚〔${year}〕31号`,
    summary: '未按规定公示年度报告（复议撤销）',
  });
  const post = (uscc: string, role: 'director' | 'supervisor', who: { name: string; idNumber: string }): DemoRow => ({
    type: 'key_person',
    sourceSystem: SRC,
    sourceId: `${uscc}-KP-${role}-${who.idNumber.slice(-4)}`,
    uscc,
    role,
    name: who.name,
    idNumber: who.idNumber,
  });
  yield post(T, 'director', P.controller);
  yield post(T, 'director', P.cycleA);
  yield post(T, 'supervisor', P.minority);
  yield post(C, 'director', P.controller);
  yield {
    type: 'financing',
    sourceSystem: SRC,
    sourceId: `${T}-FIN-A`,
    uscc: T,
    round: 'A轮',
    amount: 1.2e7,
    occurredOn: addDays(asOf, -200),
    investors: '黑龙江省新产业投资集团',
  };
}
