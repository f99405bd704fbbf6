import type { SecretBox } from '../common/secret-box';
import type { Database } from '../db/database';
import type { ClaimedMessage, Deliverer, DeliveryOutcome } from './relay';
import { postToTarget, type WebhookTargetPolicy } from './webhook-target';
import { ATTEMPT_HEADER, MESSAGE_ID_HEADER, SIGNATURE_HEADER, signWebhook, TOPIC_HEADER } from './webhook-signer';

/** The body a department receives; the same on every attempt. */
export function webhookBody(m: Pick<ClaimedMessage, 'messageId' | 'topic' | 'payload'>): string {
  return JSON.stringify({ messageId: m.messageId, topic: m.topic, data: m.payload });
}

/**
 * POSTs the message to the department's webhook, signed with its secret. Any 2xx is delivered;
 * anything else (or no answer within the timeout) is tried again later. A subscription disabled
 * since the message was queued gets nothing. The URL is checked again before every attempt and
 * the connection goes only to the addresses that check saw: a target the policy refuses (its DNS
 * now points inside, or it was registered before the check existed) is a final failure, parked
 * for an operator rather than retried.
 */
export function webhookDeliverer(
  db: Database,
  secrets: SecretBox,
  policy: WebhookTargetPolicy,
  timeoutMs: number,
  now: () => Date = () => new Date(),
): Deliverer {
  return async (m): Promise<DeliveryOutcome> => {
    const subscriptionId = Number(m.destination.slice('webhook:'.length));
    const s = await db.prisma.regulatorSubscription.findUnique({
      where: { id: subscriptionId },
      select: { webhookUrl: true, secretCipher: true, disabledAt: true },
    });
    if (!s || s.disabledAt) return { done: true, note: 'subscription disabled: not sent' };
    const checked = await policy.check(s.webhookUrl);
    if (!checked.ok)
      return checked.code === 'unresolvable'
        ? { done: false, error: `webhook host unresolvable: ${checked.reason}` }
        : { done: false, final: true, error: `webhook target refused (${checked.code}): ${checked.reason}` };
    const body = webhookBody(m);
    let status: number;
    try {
      status = await postToTarget(
        checked.target,
        {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(secrets.open(s.secretCipher), body, now()),
          [MESSAGE_ID_HEADER]: m.messageId,
          [TOPIC_HEADER]: m.topic,
          [ATTEMPT_HEADER]: String(m.attempt),
        },
        body,
        timeoutMs,
      );
    } catch (e) {
      return { done: false, error: `webhook unreachable: ${e instanceof Error ? e.name : 'error'}` };
    }
    return status >= 200 && status < 300 ? { done: true } : { done: false, error: `webhook answered HTTP ${status}` };
  };
}
