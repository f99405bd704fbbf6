import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import AuditPage, { filtersOf } from './AuditPage';

const entry = (id: string, action: string) => ({
  id,
  at: '2026-12-07T02:00:00Z',
  actorKind: 'staff',
  actorId: 'admin:zhang',
  action,
  objectType: 'staff_account',
  objectId: '2',
  entityId: null,
  detail: { role: 'reviewer' },
  sealed: id !== '30',
});

function page(chain: Record<string, unknown> = {}) {
  const { api, calls } = fakeApi((path, init) => {
    if (path === '/api/audit-log/verification')
      return {
        body: {
          ok: true,
          checked: 29,
          firstId: '1',
          anchor: 'genesis',
          headHash: 'ab'.repeat(32),
          unsealed: 1,
          staleUnsealed: 0,
          break: null,
          summary: '审计链完整：自创世记录起共校验 29 条',
          verifiedAt: '2026-12-07T02:00:00Z',
          ...chain,
        },
      };
    const before = (init as { params: { query: { before?: string } } }).params.query.before;
    return before
      ? { body: { items: [entry('10', 'staff.create')], nextBefore: null } }
      : { body: { items: [entry('30', 'staff.lock'), entry('20', 'staff.unlock')], nextBefore: '20' } };
  });
  renderWith(api, <AuditPage />);
  return calls;
}

describe('the audit trail page', () => {
  it('pages back by keyset and marks what is not sealed yet', async () => {
    const calls = page();
    const table = await screen.findByTestId('audit-entries');
    expect(await within(table).findByText('staff.lock')).toBeTruthy();
    expect(within(table).getByText('待封存')).toBeTruthy();
    expect(within(table).getAllByText('zhang（管理员）')).toHaveLength(2);

    fireEvent.click(screen.getByTestId('audit-more'));

    expect(await within(table).findByText('staff.create')).toBeTruthy();
    const searches = calls.filter((c) => c.path === '/api/audit-log');
    expect((searches[1]!.init as { params: { query: unknown } }).params.query).toEqual({ limit: 50, before: '20' });
    expect(await screen.findByText('已到最早的记录')).toBeTruthy();
  });

  it('sends only the filled filters, trimmed', async () => {
    const calls = page();
    await screen.findByTestId('audit-entries');

    fireEvent.change(screen.getByTestId('audit-actor'), { target: { value: ' zhang ' } });
    fireEvent.change(screen.getByTestId('audit-action'), { target: { value: 'staff.' } });
    fireEvent.click(screen.getByTestId('audit-search'));

    await waitFor(() =>
      expect(
        calls
          .filter((c) => c.path === '/api/audit-log')
          .map((c) => (c.init as { params: { query: unknown } }).params.query),
      ).toContainEqual({
        actor: 'zhang',
        action: 'staff.',
        limit: 50,
        before: undefined,
      }),
    );
    expect(filtersOf({ actor: '  ', objectId: '7' })).toEqual({ objectId: '7' });
  });

  it('shows a broken chain as an error, with the verifier’s words', async () => {
    page({
      ok: false,
      break: { id: '12', reason: 'hash', expected: 'a', found: 'b' },
      summary: '审计链断裂：记录 #12 记录内容与其哈希不符（记录被改动）',
    });

    const status = await screen.findByTestId('chain-status');
    expect(status.textContent).toContain('审计链断裂');
    expect(status.textContent).toContain('记录 #12 记录内容与其哈希不符');
  });
});
