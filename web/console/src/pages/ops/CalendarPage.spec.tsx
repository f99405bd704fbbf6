import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import CalendarPage from './CalendarPage';

const status = {
  today: '2026-12-07',
  loadedYears: [2024, 2025, 2026],
  uploaded: [],
  problems: ['2027 年的法定节假日安排尚未加载：跨入该年的办理期限暂按周末和法定节日推算，显示为“预计”。'],
};
const preview = {
  year: 2027,
  moved: 1,
  items: [
    {
      kind: 'objection',
      id: 7,
      entityId: 3,
      entityName: '黑河北疆大豆科技有限公司',
      from: '2027-01-05',
      to: '2027-01-06',
      provisional: false,
    },
    {
      kind: 'repair',
      id: 9,
      entityId: 4,
      entityName: '黑河市龙江木业有限公司',
      from: '2027-01-08',
      to: '2027-01-08',
      provisional: false,
    },
  ],
};

function page() {
  const { api, calls } = fakeApi((path) => {
    if (path === '/api/calendar/schedules/{year}/preview') return { body: preview };
    if (path === '/api/calendar/schedules/{year}')
      return { body: { ...status, problems: [], recomputed: preview.items.map(({ entityName: _, ...r }) => r) } };
    return { body: status };
  });
  // The typed client's PUT, answered like the others.
  const put = async (path: string, init: unknown) => {
    calls.push({ method: 'PUT', path, init });
    return { data: { ...status, problems: [], recomputed: [] }, response: { ok: true, status: 200 } as Response };
  };
  Object.assign(api.client, { PUT: put });
  renderWith(api, <CalendarPage />);
  return calls;
}

describe('the holiday schedule page', () => {
  it('says which year is missing and proposes it', async () => {
    page();

    expect((await screen.findByTestId('calendar-problem')).textContent).toContain('2027 年的法定节假日安排尚未加载');
    await waitFor(() => expect((screen.getByTestId('schedule-year') as HTMLInputElement).value).toBe('2027'));
  });

  it('refuses a malformed date beside the form, sending nothing', async () => {
    const calls = page();
    await screen.findByTestId('calendar-problem');

    fireEvent.change(screen.getByTestId('schedule-holidays'), { target: { value: '2027-01-01 2027-13-01' } });
    fireEvent.click(screen.getByTestId('schedule-preview'));

    expect((await screen.findByTestId('schedule-error')).textContent).toContain('“2027-13-01”不是有效日期');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('previews the deadlines the schedule moves, old → new, then loads it after a confirmation naming the count', async () => {
    const calls = page();
    await screen.findByTestId('calendar-problem');
    await waitFor(() => expect((screen.getByTestId('schedule-year') as HTMLInputElement).value).toBe('2027'));

    fireEvent.change(screen.getByTestId('schedule-holidays'), { target: { value: '2027-01-01~2027-01-04' } });
    fireEvent.change(screen.getByTestId('schedule-makeup'), { target: { value: '2027-02-20' } });
    fireEvent.click(screen.getByTestId('schedule-preview'));

    const impact = await screen.findByTestId('schedule-impact');
    expect(impact.textContent).toContain('1 件期限变化，1 件不变');
    const moved = within(impact).getByTestId('moved');
    expect(moved.textContent).toBe('2027-01-05 → 2027-01-06');
    const sent = calls.find((c) => c.method === 'POST')!;
    expect(sent.init).toEqual({
      params: { path: { year: 2027 } },
      body: { holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'], makeupWorkdays: ['2027-02-20'] },
    });

    fireEvent.click(screen.getByTestId('schedule-load'));
    expect(await screen.findByText(/将改变 1 件未办结申请的办理期限/)).toBeTruthy();
    fireEvent.click(screen.getByTestId('schedule-confirm'));

    await screen.findByTestId('schedule-loaded');
    expect(calls.find((c) => c.method === 'PUT')?.init).toEqual(sent.init);
  });
});
