import { fireEvent, screen } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import { ReportButton } from './ReportButton';

const created = {
  id: 3,
  reportNo: 'HHXY-20261207-000003',
  entityId: 9,
  enterpriseName: '黑河示范粮油有限公司',
  uscc: '91231102DM0000001X',
  purpose: '异议办理核查',
  generatedAt: '2026-12-07T04:00:00Z',
  validUntil: '2027-01-06T04:00:00Z',
  verificationCode: 'ABCDE-FGHJK-LMNPQ-RSTUV',
  verifyUrl: 'http://localhost/site/verify?no=HHXY-20261207-000003&code=ABCDE-FGHJK-LMNPQ-RSTUV',
};

describe('the credit report button on a case', () => {
  it('asks the purpose, refuses an empty one beside the field, then shows number and code once', async () => {
    const { api, calls } = fakeApi(() => ({ status: 201, body: created }));
    renderWith(api, <ReportButton entityId={9} enterpriseName="黑河示范粮油有限公司" />);

    fireEvent.click(screen.getByTestId('report-open'));
    fireEvent.click(await screen.findByTestId('report-create'));
    expect(await screen.findByText('报告用途至少 2 个字')).toBeTruthy();
    expect(calls).toHaveLength(0);

    fireEvent.change(screen.getByTestId('report-purpose'), { target: { value: '异议办理核查' } });
    fireEvent.click(screen.getByTestId('report-create'));

    const shown = await screen.findByTestId('report-created');
    expect(shown.textContent).toContain('HHXY-20261207-000003');
    expect(shown.textContent).toContain('ABCDE-FGHJK-LMNPQ-RSTUV');
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/api/credit-reports',
      init: { body: { entityId: 9, purpose: '异议办理核查' } },
    });
  });
});
