import { render, screen, within } from '@testing-library/react';
import { settle, tap, typeInto } from '../../../../test/dom';
import { taroFake } from '../../../../test/taro-fake';
import { GoodInfoForm } from './GoodInfoForm';
import { RepairForm } from './RepairForm';

const STATEMENT = '罚款已于 2026 年 9 月缴清，已完成整改并参加信用修复培训。';

function serve() {
  let n = 0;
  taroFake.onUpload(() => ({ statusCode: 201, data: { id: `0b3c3c1e-5d1f-4a59-9d38-6f9d8b1f2a1${n++}` } }));
  taroFake.onRequest(({ url, method }) => {
    if (url === '/api/notify/templates') return { statusCode: 200, data: { decision: 't-d', grade: 't-g' } };
    if (url === '/api/notify/consents') return { statusCode: 200, data: { recorded: 1 } };
    if (method === 'POST') return { statusCode: 201, data: { id: 5 } };
    return { statusCode: 404 };
  });
}

async function addTo(list: string, name: string) {
  taroFake.media = [{ tempFilePath: `wxfile://tmp/${name}`, size: 1000, name }];
  await tap(screen.getByTestId(`evidence-add-${list}`));
}

describe('RepairForm', () => {
  beforeEach(() => {
    taroFake.reset();
    taroFake.storage.set('heihe.accessToken', 'token');
    serve();
  });

  it('requires the commitment letter and proof of fulfilment, by the shared schema', async () => {
    render(<RepairForm entityId={7} recordId={9} onSubmitted={() => undefined} />);
    await settle();
    typeInto(within(screen.getByTestId('field-statement')).getByPlaceholderText(/履行情况/), STATEMENT);
    await addTo('fulfilment_proof', '缴款凭证.jpg');

    await tap(screen.getByTestId('submit'));

    expect(screen.getByTestId('error-materials').textContent).toBe('请上传信用修复承诺书');
    expect(taroFake.requests.filter((r) => r.url === '/api/repair-applications')).toHaveLength(0);
  });

  it('sends each material with its type', async () => {
    const submitted: number[] = [];
    render(<RepairForm entityId={7} recordId={9} onSubmitted={(a) => submitted.push(a.id)} />);
    await settle();
    typeInto(within(screen.getByTestId('field-statement')).getByPlaceholderText(/履行情况/), STATEMENT);
    await addTo('commitment_letter', '承诺书.jpg');
    await addTo('fulfilment_proof', '缴款凭证.jpg');

    await tap(screen.getByTestId('submit'));

    const body = taroFake.requests.find((r) => r.url === '/api/repair-applications')?.data as {
      materials: Array<{ type: string }>;
    };
    expect(body.materials.map((m) => m.type)).toEqual(['commitment_letter', 'fulfilment_proof']);
    expect(submitted).toEqual([5]);
  });
});

describe('GoodInfoForm', () => {
  beforeEach(() => {
    taroFake.reset();
    taroFake.storage.set('heihe.accessToken', 'token');
    serve();
  });

  it('asks for the level of an honour, and for a date, before anything is sent', async () => {
    render(<GoodInfoForm entityId={7} today="2026-11-30" onSubmitted={() => undefined} />);
    await settle();
    await tap(screen.getByTestId('category-honour'));

    await tap(screen.getByTestId('submit'));

    expect(screen.getByTestId('error-level').textContent).toBe('荣誉表彰请选择级别');
    expect(screen.getByTestId('error-title').textContent).toBe('请填写名称');
    expect(screen.getByTestId('error-occurredOn').textContent).toBe('请选择日期');
    expect(screen.getByTestId('error-evidenceIds').textContent).toBe('请至少上传一份证明材料');
    expect(taroFake.requests.filter((r) => r.url === '/api/good-info-reports')).toHaveLength(0);
  });

  it('needs no level for other categories, and clears a message once the field is edited', async () => {
    render(<GoodInfoForm entityId={7} today="2026-11-30" onSubmitted={() => undefined} />);
    await settle();
    await tap(screen.getByTestId('submit'));
    expect(screen.getByTestId('error-category').textContent).toBe('请选择信息类别');

    await tap(screen.getByTestId('category-charity'));

    expect(screen.queryByTestId('error-category')).toBeNull();
    expect(screen.queryByTestId('field-level')).toBeNull();
  });
});
