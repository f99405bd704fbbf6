/**
 * The outside services some suites need. Missing one, a suite skips (with a notice) on a developer's
 * machine; under CI (`CI=true`) it fails, so that a CI run cannot pass by skipping what it was meant
 * to test.
 */
export const SERVICES = {
  postgres: { name: 'PostgreSQL', provide: 'set TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test' },
  redis: { name: 'Redis', provide: 'set TEST_REDIS_URL, e.g. redis://127.0.0.1:6379' },
  chromium: { name: 'Chromium', provide: 'install /usr/bin/chromium (apt-get install chromium)' },
  zbar: { name: 'zbarimg', provide: 'apt-get install zbar-tools (reads the credit report’s QR code)' },
} as const;

export type Service = keyof typeof SERVICES;

type Env = Record<string, string | undefined>;

export function onCi(env: Env = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/**
 * Whether what needs `service` runs: true when `available`. Otherwise, under CI, throws, naming the
 * service and how to provide it (thrown while a test file loads, it fails that file); elsewhere,
 * prints which cases are skipped and returns false. `skipped` names them ("the PostgreSQL cases").
 * Use: `(requireService('redis', Boolean(url)) ? describe : describe.skip)(…)`.
 */
export function requireService(
  service: Service,
  available: boolean,
  skipped = 'this suite',
  env: Env = process.env,
  notice: (text: string) => void = (text) => process.stderr.write(text),
): boolean {
  if (available) return true;
  const { name, provide } = SERVICES[service];
  if (onCi(env)) throw new Error(`${name} is required under CI=true (${skipped} would be skipped): ${provide}`);
  notice(`Skipping ${skipped}: no ${name} (${provide}; under CI=true this fails).\n`);
  return false;
}
