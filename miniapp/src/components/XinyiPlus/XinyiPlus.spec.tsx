import { act, render, screen } from '@testing-library/react';
import type { MyXinyiPlus } from '@/api/types';
import { taroFake } from '../../../test/taro-fake';
import { XinyiPlus } from './index';

const NOTICE = '参考使用，不作为失信惩戒的直接依据' as const;

function answer(over: Partial<MyXinyiPlus> = {}): MyXinyiPlus {
  return {
    entityId: 7,
    grade: 'A',
    eligible: true,
    measures: [
      {
        code: 'xinyi_yue',
        name: '信易阅',
        description: '免押金办理借阅证。',
        provider: '黑河市图书馆',
        itemCodes: ['*'],
      },
    ],
    refusal: null,
    basis: '信易+措施清单第 1 版',
    catalogueVersion: 1,
    notice: NOTICE,
    ...over,
  };
}

async function show(status: number, data: unknown) {
  taroFake.onRequest(({ url }) =>
    url === '/api/results/entities/7/xinyi-plus' ? { statusCode: status, data } : { statusCode: 404, data: {} },
  );
  const view = render(<XinyiPlus entityId={7} />);
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return view;
}

describe('XinyiPlus (信易+ at grade A)', () => {
  beforeEach(() => {
    taroFake.reset();
    taroFake.storage.set('heihe.accessToken', 'token');
  });

  it('lists the measures with what each gives and who provides it', async () => {
    await show(200, answer());
    expect(screen.getByText('信易阅')).toBeTruthy();
    expect(screen.getByText('免押金办理借阅证。')).toBeTruthy();
    expect(screen.getByText('提供单位：黑河市图书馆')).toBeTruthy();
  });

  it('says why none applies to this user', async () => {
    await show(
      200,
      answer({ eligible: false, measures: [], refusal: '企业登记的法定代表人已变更，信易+ 仅面向现任法定代表人' }),
    );
    expect(screen.getByTestId('xinyi-plus').textContent).toContain('法定代表人已变更');
    expect(screen.queryByTestId('xinyi-measure')).toBeNull();
  });

  it('shows nothing before the agency publishes a catalogue', async () => {
    const { container } = await show(
      200,
      answer({
        eligible: false,
        measures: [],
        catalogueVersion: null,
        refusal: '信用管理部门尚未发布施行中的信易+措施',
      }),
    );
    expect(container.textContent).toBe('');
  });

  it('shows nothing when the answer fails: the grade stays the page’s subject', async () => {
    const { container } = await show(500, { error: { code: 'INTERNAL', message: 'x' } });
    expect(container.textContent).toBe('');
  });
});
