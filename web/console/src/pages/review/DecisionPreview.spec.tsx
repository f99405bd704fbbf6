import { screen } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import { DecisionPreview } from './DecisionPreview';

describe('the decision preview', () => {
  it('states the exact score change of deciding for the enterprise, and that nothing was written', async () => {
    const { api, calls } = fakeApi(() => ({
      body: {
        kind: 'objection',
        id: 5,
        assumption: '若异议成立并撤销该记录',
        scoreBefore: 767,
        gradeBefore: 'C',
        scoreAfter: 807,
        gradeAfter: 'B',
        modelVersion: 1,
        computedAt: '2026-12-07T04:00:00Z',
      },
    }));

    renderWith(api, <DecisionPreview kind="objection" id={5} />);

    const p = await screen.findByTestId('decision-preview');
    expect(p.textContent).toContain('若异议成立并撤销该记录：767 分（C 级）→ 807 分（B 级）');
    expect(p.textContent).toContain('+40 分');
    expect(p.textContent).toContain('未写入任何数据');
    expect(calls[0]!.init).toMatchObject({ params: { path: { kind: 'objection', id: '5' } } });
  });
});
