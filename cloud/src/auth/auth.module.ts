import { Global, Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { HttpWechatApi, WechatApi } from '../wechat';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator';
import { SecretBox } from '../common/secret-box';
import { SessionStore } from './sessions';
import { TokenService } from './tokens';

/**
 * Sign-in, tokens and the WeChat client. Global: every feature module reads the caller through
 * the guard, and may inject WechatApi (one client, one cached access token per process). Session
 * times come from the global Clock.
 */
@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: TokenService, useFactory: (c: AppConfig) => new TokenService(c), inject: [Config.token] },
    {
      provide: SessionStore,
      useFactory: (db: Database, c: AppConfig, clock: Clock) => new SessionStore(db, c, clock),
      inject: [Database, Config.token, Clock],
    },
    { provide: SecretBox, useFactory: (c: AppConfig) => new SecretBox(c.TOTP_ENCRYPTION_KEY), inject: [Config.token] },
    {
      provide: WechatApi,
      useFactory: (c: AppConfig) =>
        new HttpWechatApi({
          baseUrl: c.WECHAT_BASE_URL,
          appId: c.WECHAT_APP_ID,
          appSecret: c.WECHAT_APP_SECRET,
          timeoutMs: c.WECHAT_TIMEOUT_MS,
        }),
      inject: [Config.token],
    },
    {
      provide: Authenticator,
      useFactory: (db: Database, tokens: TokenService, clock: Clock) => new Authenticator(db, tokens, clock),
      inject: [Database, TokenService, Clock],
    },
    AuthService,
  ],
  exports: [TokenService, SessionStore, SecretBox, WechatApi, Authenticator],
})
export class AuthModule {}
