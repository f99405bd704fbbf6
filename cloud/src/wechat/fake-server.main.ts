import { startFakeWechat } from './fake-server';

/**
 * Starts the fake WeChat server for demo mode and local runs:
 *   FAKE_WECHAT_PORT (default 3100), FAKE_WECHAT_HOST (default 127.0.0.1),
 *   FAKE_WECHAT_APPID / FAKE_WECHAT_SECRET (the API must be configured with the same pair).
 * It is a stand-alone tool, like the other CLI entries, so it reads its few variables itself.
 */
async function main(): Promise<void> {
  const env = process.env;
  if (env.NODE_ENV === 'production') {
    process.stderr.write('拒绝启动：模拟微信服务器只用于测试和演示，不能在生产环境运行\n');
    process.exit(2);
  }
  const port = Number(env.FAKE_WECHAT_PORT ?? '3100');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`FAKE_WECHAT_PORT 必须是 0–65535 的整数，当前为 "${env.FAKE_WECHAT_PORT}"\n`);
    process.exit(2);
  }
  const fake = await startFakeWechat({
    port,
    host: env.FAKE_WECHAT_HOST ?? '127.0.0.1',
    appId: env.FAKE_WECHAT_APPID ?? 'wx-demo-appid',
    appSecret: env.FAKE_WECHAT_SECRET ?? 'demo-only-not-secret',
  });
  process.stdout.write(`fake WeChat listening on ${fake.url}\n`);
  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
