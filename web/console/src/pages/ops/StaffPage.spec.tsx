import { fireEvent, screen, within } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import StaffPage from './StaffPage';

const account = (id: number, username: string, extra: Record<string, unknown> = {}) => ({
  id,
  username,
  displayName: '王审核',
  role: 'reviewer',
  state: 'active',
  lockedUntil: null,
  disabledAt: null,
  failedLogins: 0,
  createdAt: '2026-12-01T02:00:00Z',
  ...extra,
});

function page(onCreate?: () => { status?: number; body: unknown }) {
  const { api, calls } = fakeApi((path, init) => {
    if (path === '/api/staff-accounts' && (init as { body?: unknown })?.body)
      return onCreate ? onCreate() : { status: 201, body: {} };
    if (path === '/api/staff-accounts/{id}/totp-reset')
      return {
        body: {
          account: account(2, 'li.reviewer'),
          password: null,
          totpSecret: 'NEWSECRET234',
          otpauthUri: 'otpauth://totp/x?secret=NEWSECRET234',
        },
      };
    return {
      body: {
        items: [
          account(1, 'demo-reviewer'),
          account(2, 'li.reviewer', { state: 'locked_out', lockedUntil: '2026-12-07T03:00:00Z', failedLogins: 5 }),
          account(3, 'zhao.officer', {
            role: 'investment_officer',
            state: 'locked',
            disabledAt: '2026-12-05T02:00:00Z',
          }),
        ],
      },
    };
  });
  renderWith(api, <StaffPage />);
  return calls;
}

describe('the staff accounts page', () => {
  it('shows each state in words with its time, unlock where locked, and no lock of one’s own account', async () => {
    page();
    const table = await screen.findByTestId('staff-accounts');

    expect(await within(table).findByText('登录失败过多，临时锁定')).toBeTruthy();
    expect(
      within(table)
        .getAllByTestId('state-time')
        .map((e) => e.textContent),
    ).toEqual(['至 2026-12-07 11:00', '2026-12-05 10:00 起']);
    expect(within(table).getByText('已锁定')).toBeTruthy();
    expect(within(table).getByTestId('unlock-li.reviewer')).toBeTruthy();
    expect(within(table).getByTestId('unlock-zhao.officer')).toBeTruthy();
    // The signed-in user is demo-reviewer (#1): their own lock button is disabled.
    expect((within(table).getByTestId('lock-demo-reviewer') as HTMLButtonElement).disabled).toBe(true);
  });

  it('checks the new account with the shared schema before sending, and shows a taken name from the server', async () => {
    const calls = page(() => ({
      status: 409,
      body: { error: { code: 'USERNAME_TAKEN', message: '用户名 wang.li 已被使用，请换一个' } },
    }));
    fireEvent.click(await screen.findByTestId('new-staff'));

    fireEvent.change(screen.getByTestId('staff-username'), { target: { value: 'Wang Li' } });
    fireEvent.click(screen.getByTestId('create-staff'));
    expect(await screen.findByText('用户名为 3 到 32 位小写字母、数字或 . _ -，以字母开头')).toBeTruthy();
    expect(await screen.findByText('请填写姓名')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('shows a reset TOTP secret once, after a confirmation', async () => {
    page();
    const table = await screen.findByTestId('staff-accounts');
    fireEvent.click(await within(table).findByTestId('reset-li.reviewer'));
    fireEvent.click(await screen.findByTestId('confirm-reset'));

    const shown = await screen.findByTestId('staff-credentials');
    expect(within(shown).getByTestId('staff-totp-secret').textContent).toContain('NEWSECRET234');
    expect(within(shown).queryByTestId('staff-password')).toBeNull();
    expect(screen.getByText('动态口令已重置（只显示这一次）')).toBeTruthy();
  });
});
