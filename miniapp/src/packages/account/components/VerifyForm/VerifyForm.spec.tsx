import { render, screen } from '@testing-library/react';
import { makeIdNumber } from '@heihe/shared/dist/validation/id-number';
import { makeUscc } from '@heihe/shared/dist/validation/uscc';
import type { Binding } from '@/api/types';
import { blur, settle, tap, typeInto } from '../../../../../test/dom';
import { taroFake } from '../../../../../test/taro-fake';
import { VerifyForm } from './index';

const NAME = '王建华';
const ID_NUMBER = makeIdNumber('23110219800131101');
const USCC = makeUscc('91231102DM0000001');
/** Same body, wrong check character: the shared validator must catch it on the phone. */
const BAD_ID = ID_NUMBER.slice(0, 17) + (ID_NUMBER.endsWith('1') ? '2' : '1');

type FaceCall = { verifyId: string };
const faceCalls: FaceCall[] = [];
let faceResult: 'pass' | 'fail' = 'pass';

beforeAll(() => {
  (globalThis as { wx?: unknown }).wx = {
    requestFacialVerify(option: { verifyId: string; success?: () => void; fail?: (e: { errMsg: string }) => void }) {
      faceCalls.push({ verifyId: option.verifyId });
      if (faceResult === 'pass') option.success?.();
      else option.fail?.({ errMsg: 'requestFacialVerify:fail' });
    },
  };
});

afterAll(() => {
  delete (globalThis as { wx?: unknown }).wx;
});

function fill(values: { name?: string; idNumber?: string; uscc?: string }) {
  if (values.name !== undefined) typeInto(screen.getByTestId('input-name'), values.name);
  if (values.idNumber !== undefined) typeInto(screen.getByTestId('input-idNumber'), values.idNumber);
  if (values.uscc !== undefined) typeInto(screen.getByTestId('input-uscc'), values.uscc);
}

const binding: Binding = {
  entityId: 7,
  uscc: USCC,
  name: '黑河示范粮油有限公司',
  method: 'three_elements_face',
  boundAt: '2026-11-29T02:00:00.000Z',
};

function serve(verify: () => { statusCode: number; data: unknown } = () => ({ statusCode: 200, data: binding })) {
  taroFake.onRequest(({ url }) => {
    if (url === '/api/identity/face-verifications')
      return { statusCode: 200, data: { verifyId: 'vid-1', verifyToken: 'face-token', expiresIn: 1800 } };
    if (url === '/api/identity/verifications') return verify();
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: url } } };
  });
}

describe('VerifyForm', () => {
  let verified: Binding[];

  beforeEach(() => {
    taroFake.reset();
    taroFake.storage.set('heihe.accessToken', 'token');
    faceCalls.length = 0;
    faceResult = 'pass';
    verified = [];
  });

  const renderForm = (faceVerification = true) =>
    render(<VerifyForm faceVerification={faceVerification} onVerified={(b) => verified.push(b)} />);

  it('checks each field with the shared validators and sends nothing while one is wrong', async () => {
    serve();
    renderForm();
    fill({ name: '  ', idNumber: BAD_ID, uscc: '91231102DM000000I1' });

    await tap(screen.getByTestId('submit'));

    expect(screen.getByTestId('error-name').textContent).toBe('请输入姓名');
    expect(screen.getByTestId('error-idNumber').textContent).toBe('身份证号校验位不正确，请核对后重新输入');
    expect(screen.getByTestId('error-uscc').textContent).toBe(
      '统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）',
    );
    expect(taroFake.requests).toHaveLength(0);
  });

  it('says what is wrong as the user leaves a field, and clears it once corrected', async () => {
    serve();
    renderForm();
    fill({ idNumber: ID_NUMBER.slice(0, 16) });
    blur(screen.getByTestId('input-idNumber'));

    expect(screen.getByTestId('error-idNumber').textContent).toBe('身份证号应为18位，当前为16位');

    fill({ idNumber: ID_NUMBER });
    expect(screen.queryByTestId('error-idNumber')).toBeNull();
  });

  it('accepts full-width digits and a lower-case x as typed by a Chinese keyboard', async () => {
    serve();
    renderForm(false);
    const fullWidth = ID_NUMBER.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))).toLowerCase();
    fill({ name: NAME, idNumber: fullWidth, uscc: USCC.toLowerCase() });

    await tap(screen.getByTestId('submit'));

    const body = taroFake.requests.find((r) => r.url === '/api/identity/verifications')?.data;
    expect(body).toEqual({ name: NAME, idNumber: ID_NUMBER, uscc: USCC });
  });

  it('warns, without blocking, when a USCC fails only its checksum', async () => {
    serve();
    renderForm(false);
    const lastChar = USCC.endsWith('0') ? '1' : '0';
    fill({ name: NAME, idNumber: ID_NUMBER, uscc: USCC.slice(0, 17) + lastChar });

    expect(screen.getByText(/校验位与国家标准算法不一致/)).toBeTruthy();
    await tap(screen.getByTestId('submit'));
    expect(taroFake.requests.map((r) => r.url)).toEqual(['/api/identity/verifications']);
  });

  it('runs 人脸核身 between the three-element check and the binding', async () => {
    serve();
    renderForm();
    fill({ name: NAME, idNumber: ID_NUMBER, uscc: USCC });

    await tap(screen.getByTestId('submit'));
    await settle();

    expect(taroFake.requests.map((r) => r.url)).toEqual([
      '/api/identity/face-verifications',
      '/api/identity/verifications',
    ]);
    expect(faceCalls).toEqual([{ verifyId: 'vid-1' }]);
    expect(taroFake.requests[1]?.data).toEqual({
      name: NAME,
      idNumber: ID_NUMBER,
      uscc: USCC,
      verifyToken: 'face-token',
    });
    expect(verified).toEqual([binding]);
  });

  it('stops before binding when the face check fails, keeping what was typed', async () => {
    serve();
    faceResult = 'fail';
    renderForm();
    fill({ name: NAME, idNumber: ID_NUMBER, uscc: USCC });

    await tap(screen.getByTestId('submit'));

    expect(screen.getByTestId('submit-error').textContent).toBe('人脸核身未通过，请确认为本人操作后重试');
    expect(taroFake.requests.map((r) => r.url)).toEqual(['/api/identity/face-verifications']);
    expect(screen.getByTestId('input-name').getAttribute('value')).toBe(NAME);
    expect(verified).toEqual([]);
  });

  it('shows the API refusal without saying which element was wrong', async () => {
    serve(() => ({ statusCode: 403, data: { error: { code: 'IDENTITY_MISMATCH', message: 'mismatch' } } }));
    renderForm(false);
    fill({ name: '王建国', idNumber: ID_NUMBER, uscc: USCC });

    await tap(screen.getByTestId('submit'));

    expect(screen.getByTestId('submit-error').textContent).toMatch(/^身份信息核验未通过/);
    expect(verified).toEqual([]);
  });
});
