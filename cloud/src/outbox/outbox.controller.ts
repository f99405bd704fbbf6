import { Body, Controller, Inject, Param } from '@nestjs/common';
import {
  createdRegulatorSubscriptionSchema,
  regulatorSubscriptionListSchema,
  regulatorSubscriptionRequestSchema,
  regulatorSubscriptionSchema,
  subscriptionIdParams,
} from '@heihe/shared';
import { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth';
import { Endpoint } from '../common/endpoint';
import { Config, type AppConfig } from '../config/config';
import { SubscriptionsService } from './subscriptions.service';

type P<S extends z.ZodType> = z.infer<S>;

const outboxStatusSchema = z.object({
  pending: z.number().int(),
  retrying: z.number().int(),
  parked: z.number().int(),
  oldestUndeliveredAt: z.string().nullable(),
  parkedItems: z.array(
    z.object({
      id: z.string(),
      messageId: z.string(),
      destination: z.string(),
      topic: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
    }),
  ),
});
const outboxIdParams = z.object({ id: z.string().regex(/^\d{1,18}$/) });

@Controller()
export class OutboxController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    @Inject(Config.token) private readonly config: AppConfig,
  ) {}

  @Endpoint({
    method: 'POST',
    path: 'regulator-subscriptions',
    operationId: 'createRegulatorSubscription',
    summary: '登记行业主管部门的回调地址（按行业或区划订阅；签名密钥仅此一次返回）',
    tags: ['notify'],
    callers: ['admin'],
    body: regulatorSubscriptionRequestSchema,
    response: createdRegulatorSubscriptionSchema,
  })
  createRegulatorSubscription(
    @Body() b: P<typeof regulatorSubscriptionRequestSchema>,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.subscriptions.create(b, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'regulator-subscriptions',
    operationId: 'listRegulatorSubscriptions',
    summary: '行业主管部门订阅列表',
    tags: ['notify'],
    callers: ['admin'],
    response: regulatorSubscriptionListSchema,
  })
  listRegulatorSubscriptions() {
    return this.subscriptions.list();
  }

  @Endpoint({
    method: 'POST',
    path: 'regulator-subscriptions/:id/disable',
    operationId: 'disableRegulatorSubscription',
    summary: '停用行业主管部门订阅',
    tags: ['notify'],
    callers: ['admin'],
    params: subscriptionIdParams,
    response: regulatorSubscriptionSchema,
    status: 200,
  })
  disableRegulatorSubscription(@Param() p: P<typeof subscriptionIdParams>, @CurrentPrincipal() who: Principal) {
    return this.subscriptions.disable(p.id, who);
  }

  @Endpoint({
    method: 'GET',
    path: 'outbox/status',
    operationId: 'getOutboxStatus',
    summary: '消息投递状态：待投递、重试中、已搁置',
    tags: ['notify'],
    callers: ['admin'],
    response: outboxStatusSchema,
  })
  getOutboxStatus() {
    return this.subscriptions.outboxStatus(this.config.OUTBOX_MAX_ATTEMPTS);
  }

  @Endpoint({
    method: 'POST',
    path: 'outbox/:id/retry',
    operationId: 'retryOutboxMessage',
    summary: '重新投递已搁置的消息',
    tags: ['notify'],
    callers: ['admin'],
    params: outboxIdParams,
    response: z.object({ requeued: z.boolean() }),
    status: 200,
  })
  retryOutboxMessage(@Param() p: P<typeof outboxIdParams>, @CurrentPrincipal() who: Principal) {
    return this.subscriptions.retry(p.id, who);
  }
}
