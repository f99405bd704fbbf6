import { loadConfig, type AppConfig } from '../config/config';

/**
 * A config for tests: defaults, with the given overrides, parsed by the same schema as production.
 * Webhook receivers in tests listen on 127.0.0.1 over plain http, which only the allowlist lets
 * through; a test of the SSRF guard itself overrides WEBHOOK_ALLOWED_HOSTS.
 */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ...overrides });
}
