import type { ReportRecordInput } from '../report/sections';
import { maskPublicName, publicRecords } from './disclosure';

const today = '2026-12-07';
const record = (over: Partial<ReportRecordInput> = {}): ReportRecordInput => ({
  recordId: 1,
  kind: 'penalty',
  status: 'active',
  category: null,
  severity: 'general',
  grade: null,
  occurredOn: '2026-10-01',
  validFrom: '2026-10-01',
  validTo: '2027-10-01',
  summary: '未按规定公示',
  documentNo: '黑市监罚〔2026〕1号',
  authority: '黑河市市场监督管理局',
  corrected: false,
  ...over,
});

describe('public disclosure', () => {
  it('shows a penalty in its window, and a listing, newest first', () => {
    const sut = publicRecords(
      [record(), record({ recordId: 2, kind: 'abnormal_listing', severity: null, occurredOn: '2026-11-01' })],
      today,
    );

    expect(sut.map((r) => r.recordId)).toEqual([2, 1]);
  });

  it('never shows a repaired record, a revoked one or one whose window ended', () => {
    const sut = publicRecords(
      [
        record({ recordId: 1, status: 'repaired' }),
        record({ recordId: 2, status: 'revoked' }),
        record({ recordId: 3, validTo: today }),
        record({ recordId: 4, status: 'expired' }),
      ],
      today,
    );

    expect(sut).toEqual([]);
  });

  it('keeps a record under objection, marked 异议处理中, and leaves out kinds the site does not disclose', () => {
    const sut = publicRecords(
      [record({ status: 'under_objection' }), record({ recordId: 2, kind: 'enforcement', category: 'executed' })],
      today,
    );

    expect(sut).toHaveLength(1);
    expect(sut[0]!.marks).toEqual(['异议处理中']);
  });

  it.each([
    ['张三明', '张*明'],
    ['张三', '张*'],
    ['欧阳娜娜', '欧**娜'],
    ['张', '*'],
    [' 李四 ', '李*'],
  ])('masks %s as %s', (name, masked) => {
    expect(maskPublicName(name)).toBe(masked);
  });
});
