import { loadConfig, type AppConfig } from '../config/config';

/** A config for tests: defaults, with the given overrides, parsed by the same schema as production. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', ...overrides });
}
