import type { AppConfig } from './config/config';
import type { Database } from './db/database';
import { templatesOf, notifyOutbox } from './notify';
import {
  OutboxRegistry,
  type OutboxRelay,
  relayOver,
  webhookDeliverers,
  type RelayConfig,
  DnsHostResolver,
  type HostResolver,
} from './outbox';
import { investOutbox } from './invest';
import { resultsOutbox } from './results';
import type { WechatApi } from './wechat';

export type StandaloneRelayConfig = RelayConfig & Pick<AppConfig, 'WECHAT_TEMPLATE_DECISION' | 'WECHAT_TEMPLATE_GRADE'>;

/**
 * Every deliverer and internal handler the application registers, outside Nest: the modules that
 * register into OutboxRegistry in the API (OutboxModule, NotifyModule, ResultsModule, InvestModule) each have their line here.
 * outbox.e2e.ts checks that the two agree.
 */
export function relayRegistry(
  db: Database,
  config: StandaloneRelayConfig,
  wechat: WechatApi,
  resolver: HostResolver = new DnsHostResolver(),
): OutboxRegistry {
  return new OutboxRegistry()
    .register(webhookDeliverers(db, config, resolver))
    .register(notifyOutbox(db, wechat, templatesOf(config)))
    .register(resultsOutbox())
    .register(investOutbox());
}

/** The relay as the standalone `outbox:relay` process (relay.main.ts) and tests build it. */
export function buildRelay(
  db: Database,
  config: StandaloneRelayConfig,
  wechat: WechatApi,
  log?: (line: string) => void,
  resolver?: HostResolver,
): OutboxRelay {
  return relayOver(db, config, relayRegistry(db, config, wechat, resolver), log);
}
