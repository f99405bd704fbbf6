import { makeIdNumber, maskIdNumber } from '@heihe/shared';
import { testBackends } from '../../cloud/src/testing/test-db';
import { findLeaks, Harness } from '../support/harness';

describe('the response-body scan', () => {
  const id = makeIdNumber('23110219900101123');

  it('finds a full ID number, known or merely valid, and a session_key', () => {
    expect(findLeaks(`{"idNumber":"${id}"}`, [id], 'x')).not.toEqual([]);
    expect(findLeaks(`{"holder":"${id}"}`, [], 'x')).not.toEqual([]);
    expect(findLeaks(`{"session_key":"abc"}`, [], 'x')).not.toEqual([]);
    expect(findLeaks(`{"sessionKey":"abc"}`, [], 'x')).not.toEqual([]);
  });

  it('passes masked numbers and other long digit strings', () => {
    expect(
      findLeaks(`{"idNumber":"${maskIdNumber(id)}","evaluationId":"123456789012345678","hash":"a${id}b"}`, [], 'x'),
    ).toEqual([]);
  });
});

describe.each(testBackends())('no personal data in any response on %s', (backend) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start(backend);
  }, 120_000);
  afterAll(() => h?.close());

  it('holds for a full walk through sign-in, verification, views and failures', async () => {
    const u = await h.signInAsEnterpriseUser({ enterprise: 0 });
    const other = await h.signInAsEnterpriseUser({ verify: false });
    await h.get('/me', u.auth);
    await h.get('/me/enterprises', u.auth);
    await h.get(`/entities/${h.enterprises[0].entityId}/evaluation`, u.auth);
    await h.get(`/entities/${h.enterprises[0].entityId}/evaluations`, u.auth);
    await h.post('/identity/face-verifications', h.elements(0, { name: '冒名者' }), other.auth);
    await h.post('/identity/verifications', h.elements(0, { idNumber: 'not-an-id' }), other.auth);
    await h.post('/identity/verifications', { ...h.elements(1), verifyToken: 'forged' }, other.auth);
    await h.post('/auth/wechat/login', { code: 'invalid' });
    const staff = await h.signInAsStaff('reviewer');
    await h.get(`/entities/${h.enterprises[1].entityId}/evaluation`, staff.auth);

    expect(h.responses.length).toBeGreaterThan(15);
    expect(h.leaks()).toEqual([]);
  });
});
