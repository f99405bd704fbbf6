import { FixedClock } from '../common/clock';
import { testConfig } from '../testing/config';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { SessionStore, type RotateResult, type Subject } from './sessions';

const T0 = new Date('2026-09-30T02:00:00.000Z');
const seconds = (s: number) => new Date(T0.getTime() + s * 1000);

function successor(r: RotateResult): string {
  if (!r.ok) throw new Error(`refresh refused: ${r.reason}`);
  return r.refreshToken;
}

describe.each(testBackends())('refresh sessions on the injected clock, on %s', (backend) => {
  let t: TestDatabase;
  const config = testConfig({
    USER_SESSION_IDLE_S: '600',
    USER_SESSION_ABSOLUTE_S: '3600',
    REFRESH_REUSE_GRACE_S: '10',
  });
  const user: Subject = { kind: 'user', id: 1 };

  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  afterAll(() => t.drop());

  const sessionStore = (clock = new FixedClock(T0)) => ({ clock, sut: new SessionStore(t.db, config, clock) });

  it('stamps a family with the clock: its absolute end is fixed at sign-in', async () => {
    const { sut } = sessionStore();

    const { familyId } = await sut.start(user);

    const row = await t.db.prisma.authSession.findFirstOrThrow({ where: { familyId } });
    expect(row.createdAt).toEqual(T0);
    expect(row.lastUsedAt).toEqual(T0);
    expect(row.expiresAt).toEqual(seconds(3600));
  });

  it('gives a repeat within the grace window the same successor, and treats one after it as reuse', async () => {
    const { sut, clock } = sessionStore();
    const { refreshToken } = await sut.start(user);
    const first = await sut.rotate(refreshToken);

    clock.set(seconds(9));
    const repeat = await sut.rotate(refreshToken);
    clock.set(seconds(11));
    const late = await sut.rotate(refreshToken);

    expect(repeat).toEqual(first);
    expect(late).toEqual({ ok: false, reason: 'reused' });
    expect(await sut.rotate(successor(first))).toEqual({ ok: false, reason: 'revoked' });
  });

  it('ends a family left idle past the idle timeout, however young it is', async () => {
    const { sut, clock } = sessionStore();
    const { refreshToken } = await sut.start(user);
    const used = await sut.rotate(refreshToken);

    clock.set(seconds(601));
    const idle = await sut.rotate(successor(used));

    expect(idle).toEqual({ ok: false, reason: 'idle' });
  });

  it('ends a family at its absolute lifetime, however active', async () => {
    const { sut, clock } = sessionStore();
    let { refreshToken } = await sut.start(user);
    for (let s = 500; s < 3600; s += 500) {
      clock.set(seconds(s));
      refreshToken = successor(await sut.rotate(refreshToken));
    }

    clock.set(seconds(3600));
    const expired = await sut.rotate(refreshToken);

    expect(expired).toEqual({ ok: false, reason: 'expired' });
  });
});
