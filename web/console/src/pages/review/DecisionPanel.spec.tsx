import { fireEvent, screen, waitFor } from '@testing-library/react';
import { decideObjectionSchema } from '@heihe/shared';
import { ApiError } from '@web/api/errors';
import { fakeApi, renderWith } from '../../../../test/render';
import { decisionBody, DecisionDialog, DecisionPanel } from './DecisionPanel';

function open(action: 'uphold' | 'reject', onDecide = jest.fn(async () => undefined)) {
  const { api } = fakeApi(() => ({ body: {} }));
  renderWith(
    api,
    <DecisionDialog kind="objection" status="accepted" action={action} onDecide={onDecide} onClose={() => undefined} />,
  );
  return onDecide;
}

describe('the decision dialog', () => {
  it('names the effect before anything is sent', () => {
    open('uphold');
    expect(screen.getByTestId('decision-effect').textContent).toContain('该记录撤销、不再计分');
  });

  it('checks the reason with the shared schema, beside the field, and sends nothing', async () => {
    const onDecide = open('reject');

    fireEvent.click(screen.getByTestId('confirm-decision'));

    expect(await screen.findByText('请填写书面理由')).toBeTruthy();
    expect(onDecide).not.toHaveBeenCalled();
  });

  it('sends the decision the API expects once the form is valid', async () => {
    const onDecide = open('uphold');

    fireEvent.change(screen.getByTestId('decision-reason'), { target: { value: '经核查，处罚决定已被撤销。' } });
    fireEvent.click(screen.getByTestId('confirm-decision'));

    await waitFor(() => expect(onDecide).toHaveBeenCalledTimes(1));
    expect(onDecide).toHaveBeenCalledWith({
      action: 'uphold',
      reason: '经核查，处罚决定已被撤销。',
      correction: { action: 'revoke' },
    });
  });

  it("shows the server's refusal in the dialog", async () => {
    const onDecide = jest.fn(async () => {
      throw new ApiError(409, 'APPLICATION_STATE', '当前状态为"异议成立"，不能执行该操作，该申请已办结');
    });
    open('uphold', onDecide);

    fireEvent.change(screen.getByTestId('decision-reason'), { target: { value: '经核查，处罚决定已被撤销。' } });
    fireEvent.click(screen.getByTestId('confirm-decision'));

    expect((await screen.findByTestId('decision-error')).textContent).toContain('该申请已办结');
  });

  it('drops empty corrected fields, so a correction of nothing is refused by the shared schema', () => {
    const body = decisionBody('uphold', {
      reason: '理由充分',
      correction: { action: 'correct', fields: { summary: '' } },
    });

    const result = decideObjectionSchema.safeParse(body);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain('请至少更正一项内容');
  });
});

describe('the decision panel', () => {
  it('tells the page while a dialog is open, and when it closes or the panel goes', async () => {
    const { api } = fakeApi(() => ({ body: {} }));
    const onDialogChange = jest.fn();
    const view = renderWith(
      api,
      <DecisionPanel
        kind="objection"
        status="accepted"
        onDecide={async () => undefined}
        onDialogChange={onDialogChange}
      />,
    );

    fireEvent.click(screen.getByTestId('action-uphold'));
    expect(onDialogChange).toHaveBeenLastCalledWith(true);
    fireEvent.click(screen.getByText('取 消'));
    await waitFor(() => expect(onDialogChange).toHaveBeenLastCalledWith(false));

    fireEvent.click(screen.getByTestId('action-uphold'));
    expect(onDialogChange).toHaveBeenLastCalledWith(true);
    view.unmount();
    expect(onDialogChange).toHaveBeenLastCalledWith(false);
  });
});
