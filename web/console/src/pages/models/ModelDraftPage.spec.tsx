import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { DEFAULT_MODEL_V1 } from '@heihe/shared';
import { fakeApi, renderWith } from '../../../../test/render';
import ModelDraftPage from './ModelDraftPage';

// ECharts draws on a canvas jsdom does not have; the chart's data is the preview's before/after.
jest.mock('./ImpactChart', () => ({ __esModule: true, default: () => null }));

const draft = {
  version: 2,
  status: 'draft',
  name: '默认模型 v2（修订草稿）',
  definition: { ...DEFAULT_MODEL_V1, version: 2, name: '默认模型 v2（修订草稿）' },
  effectiveFrom: null,
  publishedAt: null,
  publishedBy: null,
};

const preview = {
  asOf: '2026-12-07T02:00:00Z',
  baseModelVersion: 1,
  draftVersion: 2,
  entities: 10,
  before: { A: 4, B: 3, C: 2, D: 1, E: 0 },
  after: { A: 2, B: 5, C: 2, D: 1, E: 0 },
  changed: 2,
  migrations: [
    { from: 'A', to: 'A', count: 2 },
    { from: 'A', to: 'B', count: 2 },
    { from: 'B', to: 'B', count: 3 },
    { from: 'C', to: 'C', count: 2 },
    { from: 'D', to: 'D', count: 1 },
  ],
  changes: [
    {
      entityId: 7,
      uscc: '91231100MA1XXXXX01',
      name: '黑河北疆大豆科技有限公司',
      fromGrade: 'A',
      toGrade: 'B',
      fromTotal: 860,
      toTotal: 845,
    },
    {
      entityId: 8,
      uscc: '91231100MA1XXXXX02',
      name: '黑河龙江木业有限公司',
      fromGrade: 'A',
      toGrade: 'B',
      fromTotal: 870,
      toTotal: 869,
    },
  ],
};

type Answer = { status?: number; body: unknown };
function page(answers: { preview?: Answer; put?: Answer } = {}) {
  const { api, calls } = fakeApi((path, init) => {
    if (path === '/api/models/{version}/preview') return answers.preview ?? { body: preview };
    if (path === '/api/models/{version}/publish')
      return { body: { model: { ...draft, status: 'published', effectiveFrom: '2026-12-07' }, cycle: null } };
    if (path === '/api/models/{version}' && (init as { body?: unknown })?.body) return answers.put ?? { body: draft };
    return { body: draft };
  });
  renderWith(
    api,
    <Routes>
      <Route path="/models/:version" element={<ModelDraftPage />} />
    </Routes>,
    '/models/2',
  );
  return calls;
}

const field = (path: string) => screen.getByTestId(`f-${path}`) as HTMLInputElement;
const set = (path: string, value: string) => fireEvent.change(field(path), { target: { value } });
/** The message antd shows under the field (its Form.Item's explain). */
const besideField = (path: string) =>
  field(path).closest('.ant-form-item')!.querySelector('.ant-form-item-explain')?.textContent ?? '';

describe('the model draft form', () => {
  it('checks the total of 1000 as the weights change, beside the total, and blocks the preview', async () => {
    page();
    await screen.findByTestId('model-form');
    expect(screen.getByTestId('group-total').textContent).toContain('1000 / 1000');
    expect((screen.getByTestId('run-preview') as HTMLButtonElement).disabled).toBe(false);

    set('groups.2.max', '100');

    await waitFor(() => expect(screen.getByTestId('group-total').textContent).toContain('950 / 1000'));
    expect(screen.getByTestId('issues-groups').textContent).toContain('一级指标满分合计须为 1000，当前为 950');
    expect((screen.getByTestId('run-preview') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('form-state').textContent).toContain('还有 1 处需要修改');

    set('groups.2.max', '150');
    await waitFor(() => expect(screen.queryByTestId('issues-groups')).toBeNull());
    expect((screen.getByTestId('run-preview') as HTMLButtonElement).disabled).toBe(false);
  });

  it("puts each invariant beside its field: a rule's points over the indicator's maximum, cut-offs out of order, decay, an emptied box", async () => {
    page();
    await screen.findByTestId('model-form');

    // B01 (存续年限, max 20): its last tier worth 30 points.
    set('indicators.0.rule.tiers.4.points', '30');
    await waitFor(() => expect(besideField('indicators.0.rule.tiers.4.points')).toContain('分值 30 超过指标满分 20'));

    set('grades.B', '900');
    await waitFor(() =>
      expect(screen.getByTestId('issues-grades').textContent).toContain('等级分数线须满足 A > B > C > D'),
    );

    set('decay.minor.fullMonths', '6');
    await waitFor(() => expect(besideField('decay.minor.fullMonths')).toContain('最短公示期不得长于最长公示期'));

    set('indicators.1.max', '');
    await waitFor(() => expect(besideField('indicators.1.max')).toContain('请填写数值'));
    expect(screen.getByTestId('form-state').textContent).toMatch(/还有 \d+ 处需要修改/);
    // Four edits, each re-checking the whole model and re-rendering a long form: slow on a shared machine.
  }, 60_000);

  it("shows the server's error too: a refused preview's details go beside their fields", async () => {
    const calls = page({
      preview: {
        status: 422,
        body: {
          error: {
            code: 'MODEL_INVALID',
            message: '评分模型无效',
            details: [{ path: 'grades.A', message: '服务器：A 级分数线不得低于 800' }],
          },
        },
      },
    });
    await screen.findByTestId('model-form');
    set('grades.A', '860');
    fireEvent.click(await screen.findByText('保存并预览影响'));

    await waitFor(() => expect(besideField('grades.A')).toContain('服务器：A 级分数线不得低于 800'));
    expect(screen.getByTestId('server-error').textContent).toContain('评分模型无效');
    const put = calls.find((c) => c.method === 'PUT')!;
    expect((put.init as { body: { definition: { grades: { A: number } } } }).body.definition.grades.A).toBe(860);
  });

  it('previews the impact (the matrix, who moves and by how much) and confirms the publication naming how many change grade', async () => {
    const calls = page();
    await screen.findByTestId('model-form');
    fireEvent.click(screen.getByTestId('run-preview'));

    const matrix = await screen.findByTestId('migration-matrix');
    expect(within(matrix).getByTestId('cell-AB').textContent).toBe('2');
    expect(screen.getByTestId('impact-changed').textContent).toContain('升级 0，降级 2');
    const changes = screen.getByTestId('impact-changes');
    expect(within(changes).getByText('黑河北疆大豆科技有限公司')).toBeTruthy();
    expect(within(changes).getByText('−15')).toBeTruthy();

    fireEvent.click(screen.getByTestId('publish'));
    expect((await screen.findByTestId('publish-effect')).textContent).toContain('将有 2 个市场主体的信用等级发生变化');
    expect(calls.some((c) => c.path.endsWith('/publish'))).toBe(false);
    fireEvent.click(screen.getByTestId('confirm-publish'));
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/publish'))).toBe(true));
    const sent = calls.find((c) => c.path.endsWith('/publish'))!;
    expect((sent.init as { body: { effectiveFrom: string } }).body.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
