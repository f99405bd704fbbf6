import { Body, Controller } from '@nestjs/common';
import {
  authOptionsSchema,
  authTokensSchema,
  logoutResultSchema,
  refreshTokenRequestSchema,
  staffLoginRequestSchema,
  staffLoginResultSchema,
  wechatLoginRequestSchema,
  wechatLoginResultSchema,
} from '@heihe/shared';
import type { z } from 'zod';
import { Endpoint } from '../common/endpoint';
import { AuthService } from './auth.service';
import { CurrentPrincipal, type Principal } from './principal';

type B<S extends z.ZodType> = z.infer<S>;

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Endpoint({
    method: 'GET',
    path: 'options',
    operationId: 'getAuthOptions',
    summary: '登录与核验选项（演示模式、人脸核身是否开通、隐私政策版本）',
    tags: ['auth'],
    callers: ['public'],
    response: authOptionsSchema,
  })
  options() {
    return this.auth.options();
  }

  @Endpoint({
    method: 'POST',
    path: 'wechat/login',
    operationId: 'loginWithWechat',
    summary: '企业用户微信登录（wx.login 凭证换取本系统令牌）',
    tags: ['auth'],
    callers: ['public'],
    body: wechatLoginRequestSchema,
    response: wechatLoginResultSchema,
    status: 200,
  })
  loginWithWechat(@Body() b: B<typeof wechatLoginRequestSchema>) {
    return this.auth.loginWithWechat(b.code);
  }

  @Endpoint({
    method: 'POST',
    path: 'refresh',
    operationId: 'refreshToken',
    summary: '刷新访问令牌（刷新令牌一次性使用；重复使用将注销整个登录）',
    tags: ['auth'],
    callers: ['public'],
    body: refreshTokenRequestSchema,
    response: authTokensSchema,
    status: 200,
  })
  refreshToken(@Body() b: B<typeof refreshTokenRequestSchema>) {
    return this.auth.refresh(b.refreshToken);
  }

  @Endpoint({
    method: 'POST',
    path: 'logout',
    operationId: 'logout',
    summary: '退出登录（本次登录的全部令牌立即失效）',
    tags: ['auth'],
    callers: ['enterprise', 'reviewer', 'admin', 'investment_officer'],
    response: logoutResultSchema,
    status: 200,
  })
  logout(@CurrentPrincipal() who: Principal) {
    return this.auth.logout(who);
  }

  @Endpoint({
    method: 'POST',
    path: 'staff/login',
    operationId: 'loginStaff',
    summary: '工作人员登录（账号、密码与动态口令）',
    tags: ['auth'],
    callers: ['public'],
    body: staffLoginRequestSchema,
    response: staffLoginResultSchema,
    status: 200,
  })
  loginStaff(@Body() b: B<typeof staffLoginRequestSchema>) {
    return this.auth.loginStaff(b);
  }
}
