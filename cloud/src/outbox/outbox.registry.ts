import { Injectable } from '@nestjs/common';
import type { Deliverer, InternalHandler } from './relay';

/**
 * What a feature hands the relay: deliverers by destination kind (one each), internal handlers by
 * topic (any number; each must be idempotent, as the message may be handled again after a crash).
 */
export interface OutboxContribution {
  /** The feature contributing: the registry lists who handles what (`handledBy`). */
  from: string;
  deliverers?: Record<string, Deliverer>;
  handlers?: Record<string, InternalHandler>;
}

/**
 * The relay's deliverers and internal handlers, registered by the features that own them (outbox
 * its regulator webhooks; NotifyModule WeChat subscribe messages and `grade.changed`; ResultsModule
 * `grade.changed` pushed to departments), from their
 * onModuleInit), so the outbox imports none of the features above it. The relay looks them up
 * when it delivers, and starts at application bootstrap, after every module's init.
 */
@Injectable()
export class OutboxRegistry {
  readonly deliverers: Record<string, Deliverer> = {};
  readonly handlers: Record<string, InternalHandler> = {};
  /** Per topic, the features whose handlers run, in order. */
  readonly handledBy: Record<string, string[]> = {};

  register(c: OutboxContribution): this {
    for (const [kind, d] of Object.entries(c.deliverers ?? {})) {
      if (this.deliverers[kind]) throw new Error(`outbox deliverer for '${kind}' registered twice`);
      this.deliverers[kind] = d;
    }
    for (const [topic, h] of Object.entries(c.handlers ?? {})) {
      (this.handledBy[topic] ??= []).push(c.from);
      const before = this.handlers[topic];
      // Several features may act on one event (notify tells the users, results the departments):
      // their handlers run in turn, in the message's one transaction, so all or none take effect.
      this.handlers[topic] = before
        ? async (sql, m) => {
            await before(sql, m);
            await h(sql, m);
          }
        : h;
    }
    return this;
  }
}
