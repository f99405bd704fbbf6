import { Injectable } from '@nestjs/common';
import type { Deliverer, InternalHandler } from './relay';

/** What a feature hands the relay: deliverers by destination kind, internal handlers by topic. */
export interface OutboxContribution {
  deliverers?: Record<string, Deliverer>;
  handlers?: Record<string, InternalHandler>;
}

/**
 * The relay's deliverers and internal handlers, registered by the features that own them (outbox
 * its regulator webhooks; NotifyModule WeChat subscribe messages and `grade.changed`, from its
 * onModuleInit), so the outbox imports none of the features above it. The relay looks them up
 * when it delivers, and starts at application bootstrap, after every module's init.
 */
@Injectable()
export class OutboxRegistry {
  readonly deliverers: Record<string, Deliverer> = {};
  readonly handlers: Record<string, InternalHandler> = {};

  register(c: OutboxContribution): this {
    for (const [kind, d] of Object.entries(c.deliverers ?? {})) {
      if (this.deliverers[kind]) throw new Error(`outbox deliverer for '${kind}' registered twice`);
      this.deliverers[kind] = d;
    }
    for (const [topic, h] of Object.entries(c.handlers ?? {})) {
      if (this.handlers[topic]) throw new Error(`outbox handler for '${topic}' registered twice`);
      this.handlers[topic] = h;
    }
    return this;
  }
}
