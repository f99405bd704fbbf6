import { screen } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import { RecordHistory } from './RecordHistory';

const v = (version: number, over: Record<string, unknown>) => ({
  version,
  status: 'active',
  statusLabel: '有效',
  reason: 'delivery',
  reasonLabel: '数据报送',
  recordedAt: `2026-11-0${version}T02:00:00Z`,
  supersededAt: null,
  category: null,
  severity: 'general',
  amount: '5000',
  grade: null,
  occurredOn: '2026-10-20',
  validFrom: '2026-10-20',
  validTo: null,
  documentNo: '黑市监罚〔2026〕12号',
  authority: '黑河市市场监督管理局',
  summary: '未按规定公示年报',
  changed: [],
  ...over,
});

describe('the record history', () => {
  it('lists every version with why it exists and what changed, in words', async () => {
    const { api, calls } = fakeApi(() => ({
      body: {
        recordId: 7,
        entityId: 1,
        kind: 'penalty',
        kindLabel: '行政处罚',
        items: [
          v(1, { supersededAt: '2026-11-02T02:00:00Z' }),
          v(2, {
            status: 'under_objection',
            statusLabel: '异议中',
            reason: 'objection_filed',
            reasonLabel: '企业提出异议，标注异议中',
            severity: 'serious',
            changed: ['status', 'severity'],
          }),
        ],
      },
    }));

    renderWith(api, <RecordHistory recordId={7} current={1} />);

    const versions = await screen.findAllByTestId('record-version');
    expect(versions).toHaveLength(2);
    expect(versions[0]!.textContent).toContain('本案所涉版本');
    expect(versions[1]!.textContent).toContain('企业提出异议，标注异议中');
    expect(versions[1]!.textContent).toContain('状态：有效 → 异议中；严重程度：一般 → 严重');
    expect(versions[1]!.textContent).toContain('当前');
    expect(calls[0]!.path).toBe('/api/review/records/{recordId}/versions');
  });
});
