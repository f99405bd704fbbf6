import { render, screen, within } from '@testing-library/react';
import type { ObjectionView } from '@/api/types';
import { deferred, settle, tap, typeInto } from '../../../../../test/dom';
import { taroFake, type FakeResponse } from '../../../../../test/taro-fake';
import { ObjectionForm } from './index';

const EVIDENCE_ID = '0b3c3c1e-5d1f-4a59-9d38-6f9d8b1f2a10';
const STATEMENT = '该处罚已被复议机关撤销，附复议决定书。';

function anUploadedFile(id = EVIDENCE_ID) {
  return { statusCode: 201, data: { id, entityId: 7, mime: 'image/jpeg', size: 2048, checkStatus: 'pending' } };
}

function routes(extra: (url: string, method: string, data: unknown) => FakeResponse | null = () => null) {
  taroFake.onRequest(({ url, method, data }) => {
    const answer = extra(url, method ?? 'GET', data);
    if (answer) return answer;
    if (url === '/api/notify/templates')
      return { statusCode: 200, data: { decision: 'tmpl-decision', grade: 'tmpl-grade' } };
    if (url === '/api/notify/consents') return { statusCode: 200, data: { recorded: 1 } };
    if (url === '/api/objections' && method === 'POST')
      return { statusCode: 201, data: { id: 31, status: 'submitted' } };
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: url } } };
  });
}

async function renderForm() {
  const submitted: ObjectionView[] = [];
  render(<ObjectionForm entityId={7} recordId={9} onSubmitted={(o) => submitted.push(o)} />);
  await settle();
  return submitted;
}

const statement = () => screen.getByTestId('statement');
const evidence = () => within(screen.getByTestId('evidence-evidence'));
const posted = (url: string) => taroFake.requests.filter((r) => r.url === url && r.method === 'POST');

async function addPhoto(name = '复议决定书.jpg') {
  taroFake.media = [{ tempFilePath: `wxfile://tmp/${name}`, size: 2048, name }];
  await tap(screen.getByTestId('evidence-add-evidence'));
}

describe('ObjectionForm', () => {
  beforeEach(() => {
    taroFake.reset();
    taroFake.storage.set('heihe.accessToken', 'token');
  });

  it('shows the shared schema messages for a blank form and sends nothing', async () => {
    routes();
    await renderForm();

    await tap(screen.getByTestId('submit'));

    expect(screen.getByTestId('error-ground').textContent).toBe('请选择异议理由');
    expect(screen.getByTestId('error-statement').textContent).toBe('异议说明不少于 10 字');
    expect(screen.getByTestId('error-evidenceIds').textContent).toBe('请至少上传一份证明材料');
    expect(posted('/api/objections')).toHaveLength(0);
    expect(taroFake.subscribeRequests).toHaveLength(0);
  });

  it('rejects a statement under 10 characters once trimmed', async () => {
    routes();
    await renderForm();
    typeInto(statement(), '   有误   ');

    await tap(screen.getByTestId('submit'));

    expect(screen.getByTestId('error-statement').textContent).toBe('异议说明不少于 10 字');
  });

  it('shows each upload with its progress, and a failed one can be retried without losing the text', async () => {
    routes();
    const first = deferred<FakeResponse>();
    let calls = 0;
    taroFake.onUpload((_option, progress) => {
      calls += 1;
      if (calls === 1) {
        progress(40);
        return first.promise;
      }
      progress(100);
      return anUploadedFile();
    });
    await renderForm();
    typeInto(statement(), STATEMENT);

    await addPhoto();
    const item = evidence().getByTestId('evidence-item');
    expect(item.getAttribute('data-status')).toBe('uploading');
    expect(within(item).getByText('上传中 40%')).toBeTruthy();
    expect(taroFake.uploads[0]).toMatchObject({
      url: '/api/entities/7/evidence',
      name: 'file',
      filePath: 'wxfile://tmp/复议决定书.jpg',
      header: { Authorization: 'Bearer token' },
    });

    first.reject({ errMsg: 'uploadFile:fail timeout' });
    await settle();
    expect(item.getAttribute('data-status')).toBe('failed');
    expect(within(item).getByTestId('evidence-error').textContent).toBe('上传失败：请求超时，请检查网络后点击重试');
    await tap(screen.getByTestId('submit'));
    expect(screen.getByTestId('error-evidenceIds').textContent).toBe('有材料上传失败，请点击“重试”或删除后再提交');
    expect(statement().getAttribute('value')).toBe(STATEMENT);

    await tap(within(item).getByTestId('evidence-retry'));
    expect(evidence().getByTestId('evidence-item').getAttribute('data-status')).toBe('done');
    expect(evidence().getByText('已上传')).toBeTruthy();
    expect(statement().getAttribute('value')).toBe(STATEMENT);
  });

  it('checks type and size on the phone: a refused file is never uploaded and offers no retry', async () => {
    routes();
    taroFake.onUpload(() => anUploadedFile());
    await renderForm();

    taroFake.media = [
      { tempFilePath: 'blob:big', size: 11 * 1024 * 1024, name: '现场照片.jpg', type: 'image/jpeg' },
      { tempFilePath: 'blob:txt', size: 300, name: '说明.txt', type: 'text/plain' },
    ];
    await tap(screen.getByTestId('evidence-add-evidence'));

    const [big, txt] = evidence().getAllByTestId('evidence-item');
    expect(big!.getAttribute('data-status')).toBe('failed');
    expect(within(big!).getByTestId('evidence-error').textContent).toBe(
      '上传失败：文件 11.0 MB，超过 10.0 MB 上限，请压缩后重新选择',
    );
    expect(within(txt!).getByTestId('evidence-error').textContent).toBe(
      '上传失败：“说明.txt”不是 JPG、PNG 图片或 PDF 文件，请重新选择',
    );
    expect(within(big!).queryByTestId('evidence-retry')).toBeNull();
    expect(within(txt!).queryByTestId('evidence-remove')).toBeTruthy();
    expect(taroFake.uploads).toHaveLength(0);
  });

  it('offers no retry when the server refuses the file itself', async () => {
    routes();
    taroFake.onUpload(() => ({
      statusCode: 415,
      data: { error: { code: 'EVIDENCE_TYPE_NOT_ALLOWED', message: 'x' } },
    }));
    await renderForm();

    await addPhoto();

    const item = evidence().getByTestId('evidence-item');
    expect(item.getAttribute('data-status')).toBe('failed');
    expect(within(item).getByTestId('evidence-error').textContent).toBe('上传失败：只能上传 JPG、PNG 图片或 PDF 文件');
    expect(within(item).queryByTestId('evidence-retry')).toBeNull();
  });

  it('asks for the result message at submit time, then files the objection with the uploaded evidence', async () => {
    routes();
    taroFake.onUpload(() => anUploadedFile());
    const submitted = await renderForm();
    await tap(screen.getByTestId('ground-duplicate'));
    typeInto(statement(), STATEMENT);
    await addPhoto();

    await tap(screen.getByTestId('submit'));

    expect(taroFake.subscribeRequests).toEqual([['tmpl-decision']]);
    expect(posted('/api/notify/consents')[0]?.data).toEqual({ templateIds: ['tmpl-decision'] });
    expect(posted('/api/objections')[0]?.data).toEqual({
      entityId: 7,
      recordId: 9,
      ground: 'duplicate',
      statement: STATEMENT,
      evidenceIds: [EVIDENCE_ID],
    });
    const order = taroFake.requests.map((r) => r.url);
    expect(order.indexOf('/api/notify/consents')).toBeLessThan(order.indexOf('/api/objections'));
    expect(submitted.map((o) => o.id)).toEqual([31]);
  });

  it('files the objection even when the user declines the message, and records no consent', async () => {
    routes();
    taroFake.onUpload(() => anUploadedFile());
    taroFake.subscribeAnswer = 'reject';
    const submitted = await renderForm();
    await tap(screen.getByTestId('ground-wrong'));
    typeInto(statement(), STATEMENT);
    await addPhoto();

    await tap(screen.getByTestId('submit'));

    expect(posted('/api/notify/consents')).toHaveLength(0);
    expect(submitted).toHaveLength(1);
  });

  it('keeps what was typed and uploaded when the API refuses, and says why', async () => {
    routes((url, method) =>
      url === '/api/objections' && method === 'POST'
        ? { statusCode: 409, data: { error: { code: 'APPLICATION_OPEN', message: 'open' } } }
        : null,
    );
    taroFake.onUpload(() => anUploadedFile());
    const submitted = await renderForm();
    await tap(screen.getByTestId('ground-wrong'));
    typeInto(statement(), STATEMENT);
    await addPhoto();

    await tap(screen.getByTestId('submit'));

    expect(screen.getByTestId('submit-error').textContent).toBe('该记录已有正在办理的申请，请待办结后再提交');
    expect(statement().getAttribute('value')).toBe(STATEMENT);
    expect(evidence().getByTestId('evidence-item').getAttribute('data-status')).toBe('done');
    expect(submitted).toHaveLength(0);
  });
});
