import { Body, Controller, Inject } from '@nestjs/common';
import { AppError, ErrorCodes, subscribeConsentResultSchema, subscribeConsentSchema } from '@heihe/shared';
import { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { Config, type AppConfig } from '../config/config';
import { Clock } from '../common/clock';
import { ConsentsService } from './consents.service';
import { templatesOf } from './notify';

const templatesSchema = z.object({ decision: z.string(), grade: z.string() });

@Controller('notify')
export class NotifyController {
  constructor(
    private readonly consents: ConsentsService,
    @Inject(Config.token) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Endpoint({
    method: 'GET',
    path: 'templates',
    operationId: 'getSubscribeTemplates',
    summary: '订阅消息模板编号（供 wx.requestSubscribeMessage 使用）',
    tags: ['notify'],
    callers: ['enterprise'],
    response: templatesSchema,
  })
  getSubscribeTemplates() {
    return templatesOf(this.config);
  }

  @Endpoint({
    method: 'POST',
    path: 'consents',
    operationId: 'recordSubscribeConsent',
    summary: '记录用户同意接收的订阅消息模板（每次同意可发送一条）',
    tags: ['notify'],
    callers: ['enterprise'],
    body: subscribeConsentSchema,
    response: subscribeConsentResultSchema,
    status: 200,
  })
  async recordSubscribeConsent(@Body() b: z.infer<typeof subscribeConsentSchema>, @CurrentPrincipal() who: Principal) {
    if (who.kind !== 'user') throw new AppError(ErrorCodes.FORBIDDEN, '只有企业用户可以订阅消息');
    const known = new Set([this.config.WECHAT_TEMPLATE_DECISION, this.config.WECHAT_TEMPLATE_GRADE]);
    // Name the position, never the value: an error does not echo the request.
    const unknown = b.templateIds.flatMap((t, i) => (known.has(t) ? [] : [i]));
    if (unknown.length)
      throw new AppError(
        ErrorCodes.VALIDATION_FAILED,
        '订阅消息模板编号无效',
        unknown.map((i) => ({ path: `body.templateIds.${i}`, message: '未知的模板编号' })),
      );
    const recorded = await this.consents.record(who.userId, b.templateIds, this.clock.now());
    return { recorded };
  }
}
