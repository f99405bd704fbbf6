import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { testBackends } from '../../cloud/src/testing/test-db';
import { codeOf, Harness, type EnterpriseUser } from '../support/harness';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe.each(testBackends())('attacks on access tokens on %s', (backend) => {
  let h: Harness;
  let victim: EnterpriseUser;
  let attacker: EnterpriseUser;
  /** The claims a genuine token of the victim carries. */
  let claims: jwt.JwtPayload;

  beforeAll(async () => {
    h = await Harness.start(backend);
    victim = await h.signInAsEnterpriseUser({ enterprise: 0 });
    attacker = await h.signInAsEnterpriseUser({ enterprise: 1 });
    claims = jwt.decode(victim.accessToken) as jwt.JwtPayload;
  }, 120_000);
  afterAll(() => h?.close());

  const evaluation = (token: string) =>
    h.get(`/entities/${h.enterprises[0].entityId}/evaluation`, { accessToken: token });
  const secret = () => h.config.JWT_SECRET;

  it('accepts the genuine token (the control)', async () => {
    expect((await evaluation(victim.accessToken)).status).toBe(200);
  });

  it('accepts the same claims re-signed correctly, so each refusal below is down to its one defect', async () => {
    const token = jwt.sign(claims, secret(), { algorithm: 'HS256' });

    expect((await evaluation(token)).status).toBe(200);
  });

  it('refuses alg: none', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;

    const res = await evaluation(token);

    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('refuses another HMAC algorithm, even with the right secret', async () => {
    const { iat: _iat, exp: _exp, ...rest } = claims;
    const token = jwt.sign(rest, secret(), { algorithm: 'HS512', expiresIn: 600 });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses an RS256 token (algorithm confusion)', async () => {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { iat: _iat, exp: _exp, ...rest } = claims;
    const token = jwt.sign(rest, privateKey, { algorithm: 'RS256', expiresIn: 600 });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ ...claims, iat: now - 1200, exp: now - 600 }, secret(), { algorithm: 'HS256' });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses a token without an expiry', async () => {
    const { exp: _exp, ...rest } = claims;
    const token = jwt.sign(rest, secret(), { algorithm: 'HS256' });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses a token for another audience', async () => {
    const token = jwt.sign({ ...claims, aud: 'another-service' }, secret(), { algorithm: 'HS256' });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses a token from another issuer', async () => {
    const token = jwt.sign({ ...claims, iss: 'someone-else' }, secret(), { algorithm: 'HS256' });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses a face-verification state token used as an access token', async () => {
    const token = jwt.sign({ ...claims, aud: `${h.config.JWT_AUDIENCE}#face-verify` }, secret(), {
      algorithm: 'HS256',
    });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses a token signed with another secret', async () => {
    const token = jwt.sign(claims, 'a-different-secret-of-enough-length-0123', { algorithm: 'HS256' });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses a tampered payload (the attacker swaps in the victim as subject)', async () => {
    const [header, payload, signature] = attacker.accessToken.split('.');
    const forged = {
      ...(JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object),
      sub: claims.sub,
      sid: claims.sid,
    };
    const token = `${header}.${b64url(forged)}.${signature}`;

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses a validly signed token whose session does not exist', async () => {
    const token = jwt.sign({ ...claims, sid: crypto.randomUUID() }, secret(), { algorithm: 'HS256' });

    expect((await evaluation(token)).status).toBe(401);
  });

  it('refuses garbage in the Authorization header', async () => {
    for (const header of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer${victim.accessToken}`, 'Bearer a.b'])
      expect(
        (
          await h.http('GET', `/entities/${h.enterprises[0].entityId}/evaluation`, {
            headers: { authorization: header },
          })
        ).status,
      ).toBe(401);
  });

  it('revokes the family when a rotated refresh token is replayed, ending its access tokens', async () => {
    const u = await h.signInAsEnterpriseUser({ enterprise: 0 });
    const rotated = await h.post<{ accessToken: string; refreshToken: string }>('/auth/refresh', {
      refreshToken: u.refreshToken,
    });
    expect(rotated.status).toBe(200);
    // Past the grace window in which a repeated refresh (two tabs) still gets the same successor.
    await h.db.query(
      `UPDATE auth_session SET rotated_at = now() - make_interval(secs => $2)
       WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [u.refreshToken, h.config.REFRESH_REUSE_GRACE_S + 1],
    );

    const replay = await h.post('/auth/refresh', { refreshToken: u.refreshToken });

    expect(replay.status).toBe(401);
    expect((await evaluation(rotated.body.accessToken)).status).toBe(401);
    expect((await h.post('/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
    expect((await evaluation(victim.accessToken)).status).toBe(200);
  });
});
