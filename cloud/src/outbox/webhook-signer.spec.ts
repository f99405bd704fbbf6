import { signWebhook, verifyWebhook } from './webhook-signer';

describe('webhook signatures', () => {
  const at = new Date('2026-10-12T02:00:00Z');
  const body = '{"messageId":"objection.upheld:1","topic":"objection.upheld","data":{}}';

  it('verifies a body signed with the same secret', () => {
    const sut = verifyWebhook('whsec_a', signWebhook('whsec_a', body, at), body, at);
    expect(sut).toBe(true);
  });

  it('refuses another secret', () => {
    const sut = verifyWebhook('whsec_b', signWebhook('whsec_a', body, at), body, at);
    expect(sut).toBe(false);
  });

  it('refuses a changed body', () => {
    const sut = verifyWebhook('whsec_a', signWebhook('whsec_a', body, at), body.replace('1', '2'), at);
    expect(sut).toBe(false);
  });

  it('refuses a replay older than the tolerance', () => {
    const sut = verifyWebhook('whsec_a', signWebhook('whsec_a', body, at), body, new Date(at.getTime() + 301_000));
    expect(sut).toBe(false);
  });

  it('refuses a missing or mangled header', () => {
    const sut = [undefined, 'v1=abc', 't=x,v1=abc'].map((h) => verifyWebhook('whsec_a', h, body, at));
    expect(sut).toEqual([false, false, false]);
  });
});
