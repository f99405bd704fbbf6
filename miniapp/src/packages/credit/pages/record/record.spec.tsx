import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { EntityEvaluation, RepairEligibility } from '@/api/types';
import { aRecordFlag, anEffect, anEvaluation, anIndicator } from '../../../../../test/factories';
import { taroFake } from '../../../../../test/taro-fake';
import RecordPage from './index';

/** A firm at 796 (B) with one serious penalty that costs it 100 points under model v1. */
function aPenalisedFirm(overrides: Partial<EntityEvaluation> = {}): EntityEvaluation {
  return anEvaluation({
    asOf: '2026-09-30T02:00:00.000Z',
    total: 796,
    grade: 'B',
    groups: [
      { code: 'B', name: '基本情况', max: 60, points: 51 },
      { code: 'O', name: '经营状况', max: 790, points: 625 },
      { code: 'S', name: '社会责任', max: 150, points: 120 },
    ],
    indicators: [
      anIndicator({
        code: 'O02',
        group: 'O',
        max: 150,
        points: 50,
        effects: [
          anEffect({ recordId: null, version: null, points: 150, reason: 'base', note: '满分 150 分起算' }),
          anEffect({ recordId: 9, points: -100, note: '行政处罚（严重），扣 100 分' }),
        ],
      }),
    ],
    records: [
      aRecordFlag({ recordId: 9, severity: 'serious', occurredOn: '2026-08-20', summary: '黑环罚〔2026〕17号' }),
    ],
    ...overrides,
  });
}

function serve(evaluation: EntityEvaluation, eligibility: RepairEligibility) {
  taroFake.onRequest(({ url }) => {
    if (url === '/api/entities/7/evaluation') return { statusCode: 200, data: evaluation };
    if (url === '/api/entities/7/records/9/repair-eligibility') return { statusCode: 200, data: eligibility };
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: url } } };
  });
}

async function renderPage() {
  render(<RecordPage />);
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

const tooEarly: RepairEligibility = {
  eligible: false,
  reason: 'too_early',
  possibleFrom: '2027-08-20',
  message: '尚未届满最短公示期',
};

describe('RecordPage (why this score → one record)', () => {
  beforeEach(() => {
    taroFake.reset();
    taroFake.storage.set('heihe.accessToken', 'token');
    taroFake.routerParams = { entityId: '7', recordId: '9' };
  });

  it('shows the record with its points and a what-if estimate marked as an estimate', async () => {
    serve(aPenalisedFirm(), tooEarly);

    await renderPage();

    const card = within(screen.getByTestId('record-card'));
    expect(card.getByText('黑环罚〔2026〕17号')).toBeTruthy();
    expect(card.getByText('−100 分')).toBeTruthy();
    const whatIf = within(screen.getByTestId('what-if'));
    expect(whatIf.getByText('估算')).toBeTruthy();
    expect(whatIf.getByTestId('what-if-result').textContent).toBe('预计 896 分，A 级');
    expect(whatIf.getByText('等级由 B 级升至 A 级')).toBeTruthy();
  });

  it('shows the date from which repair becomes possible when it is too early', async () => {
    serve(aPenalisedFirm(), tooEarly);

    await renderPage();

    expect(screen.getByTestId('repair-not-yet').textContent).toBe('2027-08-20 起可申请信用修复（届满最短公示期）');
    expect(screen.queryByTestId('apply-repair')).toBeNull();
  });

  it('offers repair when eligible, and objection, each opening its form', async () => {
    serve(aPenalisedFirm(), { eligible: true, reason: null, possibleFrom: '2026-01-01', message: null });
    await renderPage();

    fireEvent.click(screen.getByTestId('apply-repair'));
    fireEvent.click(screen.getByTestId('object'));
    await act(async () => undefined);

    expect(taroFake.navigations.map((n) => n.url)).toEqual([
      '/packages/rights/pages/repair/index?entityId=7&recordId=9',
      '/packages/rights/pages/objection/index?entityId=7&recordId=9',
    ]);
  });

  it('does not offer a second objection while one is being handled', async () => {
    serve(
      aPenalisedFirm({
        records: [aRecordFlag({ recordId: 9, status: 'under_objection', underObjection: true, severity: 'serious' })],
      }),
      tooEarly,
    );

    await renderPage();

    expect(screen.getByText('这条记录正在异议办理中，办结前仍计入评分。')).toBeTruthy();
    expect(screen.queryByTestId('object')).toBeNull();
    expect(taroFake.requests.some((r) => r.url.includes('repair-eligibility'))).toBe(false);
  });

  it('shows a record past its publicity window as such, with nothing to do and no estimate', async () => {
    serve(
      aPenalisedFirm({
        indicators: [anIndicator({ code: 'O02', group: 'O', points: 150, effects: [] })],
        records: [aRecordFlag({ recordId: 9, severity: 'minor', counts: false, excluded: 'expired' })],
      }),
      tooEarly,
    );

    await renderPage();

    expect(within(screen.getByTestId('record-state')).getByText('已过公示期')).toBeTruthy();
    expect(screen.getByTestId('fact-validTo')).toBeTruthy();
    expect(screen.getByText('这条记录已不再计分，无需处理。')).toBeTruthy();
    expect(screen.queryByTestId('what-if')).toBeNull();
    expect(screen.queryByTestId('object')).toBeNull();
  });

  it('shows the record as 信用中国 does: authority, document number, content, basis, publicity end, no internal number', async () => {
    serve(
      aPenalisedFirm({
        records: [
          aRecordFlag({
            recordId: 9,
            version: 3,
            severity: 'serious',
            occurredOn: '2026-08-20',
            summary: '超标排放大气污染物',
            authority: '黑河市生态环境局',
            documentNo: '黑环罚〔2026〕17号',
            content: '罚款人民币 10 万元',
            legalBasis: '《中华人民共和国大气污染防治法》第九十九条',
            validTo: null,
            publicUntil: '2029-08-19',
          }),
        ],
      }),
      tooEarly,
    );

    await renderPage();

    const fact = (key: string) => screen.getByTestId(`fact-${key}`).textContent;
    expect(fact('authority')).toBe('决定机关黑河市生态环境局');
    expect(fact('documentNo')).toBe('决定文书号黑环罚〔2026〕17号');
    expect(fact('content')).toBe('处罚内容罚款人民币 10 万元');
    expect(fact('legalBasis')).toBe('处罚依据《中华人民共和国大气污染防治法》第九十九条');
    expect(fact('occurredOn')).toBe('决定日期2026-08-20');
    expect(fact('validTo')).toBe('公示至2029-08-19');
    expect(screen.getByTestId('record-card').textContent).not.toMatch(/#9|第 3 版/);
  });

  it('shows no 公示至 for a revoked record, which is no longer published', async () => {
    serve(
      aPenalisedFirm({
        records: [
          aRecordFlag({
            recordId: 9,
            status: 'revoked',
            counts: false,
            excluded: 'revoked',
            publicUntil: '2027-11-06',
          }),
        ],
      }),
      tooEarly,
    );

    await renderPage();

    expect(within(screen.getByTestId('record-state')).getByText('已撤销')).toBeTruthy();
    expect(screen.queryByTestId('fact-validTo')).toBeNull();
  });

  it('shows the value of a record of another kind: a tax grade says its letter', async () => {
    serve(
      aPenalisedFirm({
        records: [
          aRecordFlag({ recordId: 9, kind: 'tax_grade', grade: 'A', amount: 2025, severity: null, summary: null }),
        ],
      }),
      tooEarly,
    );

    await renderPage();

    expect(screen.getByTestId('fact-value').textContent).toBe('纳税信用等级A 级（2025 年度）');
  });

  it('names the repair in progress with a link to it, and offers no second application', async () => {
    serve(
      aPenalisedFirm({
        records: [
          aRecordFlag({
            recordId: 9,
            severity: 'serious',
            openApplication: { kind: 'repair', id: 31, status: 'returned', statusLabel: '待补正材料' },
          }),
        ],
      }),
      tooEarly,
    );

    await renderPage();

    expect(within(screen.getByTestId('record-state')).getByText('修复办理中')).toBeTruthy();
    expect(within(screen.getByTestId('record-in-progress')).getByText('修复办理中')).toBeTruthy();
    expect(screen.queryByTestId('object')).toBeNull();
    expect(screen.queryByTestId('apply-repair')).toBeNull();
    expect(taroFake.requests.some((r) => r.url.includes('repair-eligibility'))).toBe(false);
    fireEvent.click(screen.getByTestId('open-application'));
    expect(taroFake.navigations).toContainEqual(
      expect.objectContaining({ url: '/packages/rights/pages/application/index?kind=repair&id=31' }),
    );
  });

  it('says "not found" with a way home, and no retry, for an id that does not exist', async () => {
    taroFake.onRequest(() => ({
      statusCode: 404,
      data: { error: { code: 'NOT_FOUND', message: '主体不存在或无权访问' } },
    }));

    await renderPage();

    expect(screen.getByText('没有找到要查看的内容')).toBeTruthy();
    expect(screen.queryByText('重试')).toBeNull();
    fireEvent.click(screen.getByTestId('go-home'));
    expect(taroFake.navigations).toContainEqual({ kind: 'reLaunch', url: '/pages/index/index' });
  });

  it('says "not found" for a link without its ids, without asking the API', async () => {
    taroFake.routerParams = { entityId: 'abc' };
    serve(aPenalisedFirm(), tooEarly);

    await renderPage();

    expect(screen.getByTestId('not-found')).toBeTruthy();
    expect(taroFake.requests).toHaveLength(0);
  });

  it('says what to do when the evaluation cannot be loaded', async () => {
    taroFake.onRequest(() => Promise.reject({ errMsg: 'request:fail timeout' }));

    await renderPage();

    expect(screen.getByText('请求超时，请检查网络后点击重试')).toBeTruthy();
    expect(screen.getByText('重试')).toBeTruthy();
  });
});
