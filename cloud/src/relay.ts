import type { AppConfig } from './config/config';
import type { Database } from './db/database';
import { BUCKETS } from './db/shard';
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
import { siteOutbox } from './site';
import { NodeMap } from './scoring';
import type { WechatApi } from './wechat';

export type StandaloneRelayConfig = RelayConfig & Pick<AppConfig, 'WECHAT_TEMPLATE_DECISION' | 'WECHAT_TEMPLATE_GRADE'>;

/**
 * Every deliverer and internal handler the application registers, outside Nest: the modules that
 * register into OutboxRegistry in the API (OutboxModule, NotifyModule, ResultsModule, InvestModule, SiteModule) each have their line here.
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
    .register(investOutbox())
    .register(siteOutbox());
}

/**
 * The relay as the standalone `outbox:relay` process (relay.main.ts) and tests build it, over the
 * buckets from..to (every bucket when unset).
 */
export function buildRelay(
  db: Database,
  config: StandaloneRelayConfig,
  wechat: WechatApi,
  log?: (line: string) => void,
  resolver?: HostResolver,
  buckets?: { from: number; to: number },
): OutboxRelay {
  return relayOver(db, config, relayRegistry(db, config, wechat, resolver), log, buckets);
}

/**
 * The ranges of buckets a standalone relay serves (ADR 0027 step 3): those of the node `CYCLE_NODE`
 * names in `CYCLE_NODES` (a node may own several), as `npm run worker` takes that node's chunks;
 * every bucket when `CYCLE_NODE` is unset.
 */
export function relayBuckets(config: Pick<AppConfig, 'CYCLE_NODES' | 'CYCLE_NODE'>): { from: number; to: number }[] {
  if (config.CYCLE_NODE === undefined) return [{ from: 0, to: BUCKETS - 1 }];
  return new NodeMap(config.CYCLE_NODES).rangesOf(config.CYCLE_NODE).map(({ from, to }) => ({ from, to }));
}
