import { AppError } from '@heihe/shared';
import type { Database } from '../db/database';
import type { OutboxContribution, Deliverer, DeliveryOutcome } from '../outbox';
import type { WechatApi } from '../wechat';
import { gradeChangedHandler, type Templates, type WechatPayload } from './notify';

/**
 * Sends a subscribe message. A user who has since refused the template (43101) is an outcome, not a
 * failure: recorded and not retried. WeChat being busy or down is retried.
 */
export function wechatDeliverer(db: Database, wechat: WechatApi): Deliverer {
  return async (m): Promise<DeliveryOutcome> => {
    const p = m.payload as unknown as WechatPayload;
    const u = await db.prisma.appUser.findUnique({ where: { id: p.userId }, select: { openid: true } });
    if (!u) return { done: true, note: 'user no longer exists: not sent' };
    try {
      const r = await wechat.sendSubscribeMessage({
        touser: u.openid,
        templateId: p.templateId,
        page: p.page,
        data: p.data,
      });
      return r.delivered ? { done: true } : { done: true, note: 'user refused the subscription: not sent' };
    } catch (e) {
      return { done: false, error: e instanceof AppError ? `${e.code}: ${e.message}` : String(e) };
    }
  };
}

/** What notify hands the outbox relay: WeChat delivery, and grade changes turned into messages. */
export function notifyOutbox(db: Database, wechat: WechatApi, templates: Templates): OutboxContribution {
  return {
    from: 'notify',
    deliverers: { wechat: wechatDeliverer(db, wechat) },
    handlers: { 'grade.changed': gradeChangedHandler(templates) },
  };
}
