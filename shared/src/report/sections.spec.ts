import fc from 'fast-check';
import { exclusionOf, reportSections, type ReportRecordInput } from './sections';

const TODAY = '2026-12-07';

const record = (o: Partial<ReportRecordInput> = {}): ReportRecordInput => ({
  recordId: 1,
  kind: 'penalty',
  status: 'active',
  category: null,
  severity: 'general',
  grade: null,
  occurredOn: '2026-10-01',
  validFrom: '2026-10-01',
  validTo: null,
  summary: '未按规定公示年度报告',
  documentNo: '黑市监罚〔2026〕12号',
  authority: '黑河市市场监督管理局',
  corrected: false,
  ...o,
});

describe('the report sections (发改委令第36号)', () => {
  it('leaves out a repaired record', () => {
    const sut = reportSections([record({ status: 'repaired' })], TODAY);

    expect(sut.administrative).toEqual([]);
    expect(exclusionOf(record({ status: 'repaired' }), TODAY)).toBe('repaired');
  });

  it('leaves out a record revoked on an upheld objection', () => {
    expect(exclusionOf(record({ status: 'revoked' }), TODAY)).toBe('revoked');
  });

  it('leaves out a general penalty whose 12-month publicity window has ended, and shows one inside it with the window end', () => {
    const sut = reportSections(
      [record({ recordId: 1, occurredOn: '2025-12-06', validFrom: '2025-12-06' }), record({ recordId: 2 })],
      TODAY,
    );

    expect(sut.administrative.map((r) => r.recordId)).toEqual([2]);
    expect(sut.administrative[0]!.validTo).toBe('2027-10-01');
    expect(exclusionOf(record({ occurredOn: '2025-12-06', validFrom: '2025-12-06' }), TODAY)).toBe('window_ended');
  });

  it('leaves out a record whose validity ended, and one not yet in force', () => {
    expect(exclusionOf(record({ kind: 'licence', severity: null, validTo: '2026-12-07' }), TODAY)).toBe('window_ended');
    expect(exclusionOf(record({ validFrom: '2026-12-08', occurredOn: '2026-12-08' }), TODAY)).toBe('not_yet_public');
  });

  it('marks a record under objection 异议处理中 and a corrected one 已更正', () => {
    const sut = reportSections(
      [
        record({ recordId: 1, status: 'under_objection' }),
        record({ recordId: 2, corrected: true, occurredOn: '2026-09-01' }),
      ],
      TODAY,
    );

    expect(sut.administrative.map((r) => [r.recordId, r.marks])).toEqual([
      [1, ['异议处理中']],
      [2, ['已更正']],
    ]);
  });

  it('files each kind under its chapter: honours under 诚实守信, listings under their own, enforcement under 司法', () => {
    const sut = reportSections(
      [
        record({ recordId: 1, kind: 'honour', severity: null, category: 'provincial' }),
        record({ recordId: 2, kind: 'dishonesty_listing', severity: 'serious' }),
        record({ recordId: 3, kind: 'abnormal_listing', severity: null }),
        record({ recordId: 4, kind: 'enforcement', severity: null, category: 'dishonest_executed' }),
        record({ recordId: 5, kind: 'licence', severity: null }),
        record({ recordId: 6, kind: 'registration', severity: null }),
      ],
      TODAY,
    );

    expect(sut.honesty.map((r) => [r.recordId, r.detail])).toEqual([[1, '省级']]);
    expect(sut.serious_dishonesty.map((r) => r.recordId)).toEqual([2]);
    expect(sut.abnormal_operation.map((r) => r.recordId)).toEqual([3]);
    expect(sut.judicial.map((r) => [r.recordId, r.detail])).toEqual([[4, '失信被执行人']]);
    expect(sut.administrative.map((r) => r.recordId)).toEqual([5]);
    expect(
      Object.values(sut)
        .flat()
        .map((r) => r.recordId),
    ).not.toContain(6);
  });

  it('says what a tax credit grade rates when the source sent no summary', () => {
    const sut = reportSections(
      [record({ kind: 'tax_grade', severity: null, grade: 'A', amount: 2025, summary: null })],
      TODAY,
    );

    expect(sut.administrative[0]).toMatchObject({ summary: '2025 年度纳税信用等级评价为 A 级', detail: 'A 级' });
  });

  it('never shows a repaired record, whatever else is true of it', () => {
    const kinds = ['penalty', 'licence', 'honour', 'dishonesty_listing', 'abnormal_listing', 'enforcement'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.boolean(),
        fc.integer({ min: 0, max: 2000 }),
        (kind, corrected, daysAgo) => {
          const day = new Date(Date.UTC(2026, 11, 7) - daysAgo * 86_400_000).toISOString().slice(0, 10);
          const sut = reportSections(
            [record({ kind, corrected, status: 'repaired', occurredOn: day, validFrom: day })],
            TODAY,
          );
          return Object.values(sut).every((list) => list.length === 0);
        },
      ),
    );
  });
});
