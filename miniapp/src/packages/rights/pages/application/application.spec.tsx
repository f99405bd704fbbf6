import { render, screen, within } from '@testing-library/react';
import type { RepairApplicationView } from '@/api/types';
import { settle, tap, typeInto } from '../../../../../test/dom';
import { taroFake } from '../../../../../test/taro-fake';
import ApplicationPage from './index';

const STATEMENT = '已缴清罚款并完成整改，承诺今后依法公示年度报告。';
const FILE_ID = '0b3c3c1e-5d1f-4a59-9d38-6f9d8b1f2a10';

function aFile(id: string, materialType: 'commitment_letter' | 'fulfilment_proof', displayName: string) {
  return {
    id,
    entityId: 7,
    mime: 'image/jpeg' as const,
    size: 2048,
    sha256: 'x',
    displayName,
    checkStatus: 'pass' as const,
    applicationKind: 'repair' as const,
    applicationId: 31,
    materialType,
    createdAt: '2026-11-02T02:00:00.000Z',
  };
}

function aReturnedRepair(overrides: Partial<RepairApplicationView> = {}): RepairApplicationView {
  return {
    id: 31,
    entityId: 7,
    entityName: '黑河市示例贸易有限公司',
    uscc: '91231100MA1B2C3D4E',
    status: 'returned',
    statusLabel: '待补正材料',
    filedAt: '2026-11-02T02:00:00.000Z',
    deadline: {
      dueOn: '2026-11-11',
      provisional: false,
      provisionalReason: null,
      workingDaysLeft: null,
      urgency: 'paused',
      escalated: false,
    },
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
    outcome: { scoreBefore: null, scoreAfter: null, gradeBefore: null, gradeAfter: null },
    evidence: [aFile('f-1', 'commitment_letter', '承诺书.jpg'), aFile('f-2', 'fulfilment_proof', '缴款凭证.jpg')],
    events: [
      { at: '2026-11-02T02:00:00.000Z', status: 'submitted', actor: 'enterprise', note: null },
      { at: '2026-11-03T02:00:00.000Z', status: 'returned', actor: 'agency', note: '请补充缴款凭证原件照片。' },
    ],
    record: {
      recordId: 9,
      version: 1,
      kind: 'penalty',
      kindLabel: '行政处罚',
      status: 'active',
      statusLabel: '正常公示',
      category: null,
      severity: 'general',
      occurredOn: '2026-06-20',
      summary: '未按规定公示年度报告',
    },
    statement: STATEMENT,
    ...overrides,
  };
}

describe('ApplicationPage: a return for material (退回补正)', () => {
  let current: RepairApplicationView;
  beforeEach(() => {
    taroFake.reset();
    taroFake.storage.set('heihe.accessToken', 'token');
    taroFake.routerParams = { kind: 'repair', id: '31' };
    current = aReturnedRepair();
    taroFake.onRequest(({ url, method, data }) => {
      if (url === '/api/repair-applications/31' && method !== 'POST') return { statusCode: 200, data: current };
      if (url === '/api/repair-applications/31/resubmission' && method === 'POST') {
        const body = data as { statement?: string };
        current = aReturnedRepair({
          status: 'submitted',
          statusLabel: '已提交，待受理',
          statement: body.statement ?? STATEMENT,
          deadline: { ...current.deadline, dueOn: '2026-11-16', workingDaysLeft: 7, urgency: 'normal' },
        });
        return { statusCode: 200, data: current };
      }
      return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: url } } };
    });
    taroFake.onUpload(() => ({ statusCode: 201, data: { id: FILE_ID } }));
  });

  async function renderPage() {
    render(<ApplicationPage />);
    await settle();
  }

  it("shows the reviewer's reason first, and says which file is which material", async () => {
    await renderPage();

    expect(screen.getByTestId('return-reason').textContent).toBe('请补充缴款凭证原件照片。');
    // While paused the old date is void: no date is shown until the resubmission restarts it.
    expect(screen.getByTestId('deadline').textContent).toBe('待补正，期限暂停，重新提交后重新计算');
    const files = screen.getAllByTestId('own-file');
    expect(files.map((f) => f.getAttribute('data-material'))).toEqual(['commitment_letter', 'fulfilment_proof']);
    expect(within(files[0]!).getByText('信用修复承诺书')).toBeTruthy();
    expect(within(files[1]!).getByText('履行证明（罚款缴纳凭证或整改说明）')).toBeTruthy();
  });

  it('resubmits a new file, a note and the edited statement, then shows the new deadline', async () => {
    await renderPage();
    const edited = `${STATEMENT}现补充缴款凭证原件。`;

    taroFake.media = [{ tempFilePath: 'wxfile://tmp/原件.jpg', size: 4096, name: '原件.jpg' }];
    await tap(screen.getByTestId('evidence-add-resubmit-fulfilment_proof'));
    typeInto(screen.getByTestId('resubmit-note'), '已补充缴款凭证原件');
    typeInto(screen.getByTestId('resubmit-statement'), edited);
    await tap(within(screen.getByTestId('resubmit')).getByTestId('submit'));
    await settle();

    const sent = taroFake.requests.find((r) => r.url === '/api/repair-applications/31/resubmission');
    expect(sent?.data).toEqual({
      note: '已补充缴款凭证原件',
      statement: edited,
      materials: [{ evidenceId: FILE_ID, type: 'fulfilment_proof' }],
    });
    expect(screen.queryByTestId('resubmit')).toBeNull();
    expect(screen.getByTestId('application-status').textContent).toBe('已提交，待受理');
    expect(screen.getByTestId('deadline').textContent).toContain('办理期限 2026-11-16');
    expect(screen.getByTestId('deadline').textContent).toContain('剩余 7 个工作日');
  });

  it('keeps the statement as filed when it is not edited, and asks for a note', async () => {
    await renderPage();

    await tap(within(screen.getByTestId('resubmit')).getByTestId('submit'));
    expect(screen.getByTestId('error-note').textContent).toBe('请说明补正内容');
    typeInto(screen.getByTestId('resubmit-note'), '原件已当面提交');
    await tap(within(screen.getByTestId('resubmit')).getByTestId('submit'));
    await settle();

    const sent = taroFake.requests.find((r) => r.url === '/api/repair-applications/31/resubmission');
    expect(sent?.data).toEqual({ note: '原件已当面提交', materials: [] });
  });
});
