import { onCi, requireService } from './services';
import { testBackends } from './test-db';

describe('requireService', () => {
  const notices: string[] = [];
  const notice = (text: string) => notices.push(text);
  beforeEach(() => (notices.length = 0));

  it('lets a suite run when its service is there, on CI or not, without a word', () => {
    expect(requireService('redis', true, 'the suite', { CI: 'true' }, notice)).toBe(true);
    expect(requireService('redis', true, 'the suite', {}, notice)).toBe(true);
    expect(notices).toEqual([]);
  });

  it('skips off CI, saying what is skipped, what is missing and how to provide it', () => {
    expect(requireService('redis', false, 'the BullMQ suite', {}, notice)).toBe(false);

    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('Skipping the BullMQ suite');
    expect(notices[0]).toContain('Redis');
    expect(notices[0]).toContain('TEST_REDIS_URL');
  });

  it.each(['true', '1'])('fails under CI=%s instead of skipping, naming the service and how to provide it', (ci) => {
    expect(() => requireService('chromium', false, 'the journey', { CI: ci }, notice)).toThrow(
      /Chromium is required under CI=true \(the journey would be skipped\): install \/usr\/bin\/chromium/,
    );
    expect(notices).toEqual([]);
  });

  it('reads CI=false and an empty CI as not CI', () => {
    expect(onCi({ CI: 'false' })).toBe(false);
    expect(onCi({ CI: '' })).toBe(false);
    expect(onCi({})).toBe(false);
  });
});

describe('testBackends', () => {
  it('adds PostgreSQL when TEST_DATABASE_URL is set', () => {
    expect(testBackends({ TEST_DATABASE_URL: 'postgres://x/y', CI: 'true' })).toEqual(['pglite', 'postgres']);
  });

  it('requires TEST_DATABASE_URL under CI=true', () => {
    expect(() => testBackends({ CI: 'true' })).toThrow(/PostgreSQL is required under CI=true.*TEST_DATABASE_URL/);
  });
});
