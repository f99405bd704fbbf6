import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { WebhookAllowEntry } from '../config/config';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** DNS behind a port: tests swap it to point a registered host somewhere else later. */
export abstract class HostResolver {
  abstract resolve(hostname: string): Promise<ResolvedAddress[]>;
}

export class DnsHostResolver extends HostResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const all = await dns.promises.lookup(hostname, { all: true, verbatim: true });
    return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  }
}

export type RefusalCode = 'invalid' | 'not_https' | 'credentials' | 'private_address' | 'unresolvable';

/** A URL we may POST to, and the only addresses the connection may use. */
export interface CheckedTarget {
  url: URL;
  addresses: ResolvedAddress[];
}

export type TargetCheck =
  | { ok: true; target: CheckedTarget }
  | {
      ok: false;
      code: RefusalCode;
      /** Chinese, for the administrator who registers the URL. */
      reason: string;
    };

// Every globally routable IPv6 unicast address is in 2000::/3; ipaddr.js calls the deprecated
// IPv4-compatible ::a.b.c.d (and the rest of ::/3) 'unicast' too.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * What may be told "unicast": a public address. IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the
 * IPv4 address it maps to; NAT64, 6to4 and Teredo prefixes, which embed an IPv4 address, are not
 * 'unicast' to ipaddr.js and so are refused.
 */
export function addressRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return null;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range === 'unicast' && ip.kind() === 'ipv6' && !ip.match(GLOBAL_UNICAST_V6)) return 'reserved';
  return range;
}

const bare = (hostname: string) =>
  hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();

/**
 * Where regulator webhooks may go (SSRF guard). A URL must be https, carry no credentials, and
 * its host must be — or resolve only to — public unicast addresses. Node's WHATWG URL parser has
 * already turned 0x7f000001, 2130706433, 0177.0.0.1 and 127.1 into 127.0.0.1 by the time the
 * hostname is read here.
 *
 * WEBHOOK_ALLOWED_HOSTS lists exceptions (an intranet department, a test receiver): a host[:port]
 * entry trusts that host name as written, whatever it resolves to; a CIDR entry trusts addresses
 * in it. An allowed target may also use plain http.
 *
 * Registration checks the URL; every delivery checks it again (DNS may have changed since) and
 * connects only to the addresses it checked.
 */
export class WebhookTargetPolicy {
  private readonly hosts: Array<{ host: string; port: number | null }> = [];
  private readonly cidrs: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];

  constructor(
    allow: readonly WebhookAllowEntry[],
    private readonly resolver: HostResolver,
  ) {
    for (const e of allow)
      if (e.kind === 'cidr') this.cidrs.push(ipaddr.parseCIDR(e.cidr));
      else this.hosts.push({ host: bare(e.host), port: e.port });
  }

  async check(raw: string): Promise<TargetCheck> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return refuse('invalid', '地址无效');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('invalid', '只支持 https 地址');
    if (url.username || url.password) return refuse('credentials', '地址中不得包含用户名或密码');
    const host = bare(url.hostname);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const hostAllowed = this.hosts.some((h) => h.host === host && (h.port === null || h.port === port));

    let addresses: ResolvedAddress[];
    if (ipaddr.isValid(host)) addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
    else {
      try {
        addresses = await this.resolver.resolve(host);
      } catch {
        addresses = [];
      }
      if (!addresses.length) return refuse('unresolvable', `域名 ${host} 无法解析`);
    }

    let allAllowed = hostAllowed;
    if (!hostAllowed) {
      allAllowed = true;
      for (const a of addresses) {
        if (this.inAllowedCidr(a.address)) continue;
        allAllowed = false;
        const range = addressRange(a.address);
        if (range !== 'unicast') return refuse('private_address', `内网或保留地址（${a.address}）`);
      }
    }
    if (url.protocol !== 'https:' && !allAllowed) return refuse('not_https', '必须使用 https');
    return { ok: true, target: { url, addresses } };
  }

  private inAllowedCidr(address: string): boolean {
    if (!this.cidrs.length || !ipaddr.isValid(address)) return false;
    const ip = ipaddr.process(address);
    return this.cidrs.some(([net, bits]) => ip.kind() === net.kind() && ip.match(net, bits));
  }
}

function refuse(code: RefusalCode, reason: string): TargetCheck {
  return { ok: false, code, reason };
}

/**
 * A lookup that answers only with the addresses already checked, so that the check and the
 * connection cannot see two different DNS answers. Node asks with `all: true` when it races
 * IPv4 and IPv6 (autoSelectFamily), and for one address otherwise.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const fitting = addresses.filter((a) => !options.family || a.family === options.family);
    if (!fitting.length) {
      const e: NodeJS.ErrnoException = new Error('no checked address of the requested family');
      e.code = 'ENOTFOUND';
      callback(e, '', 0);
      return;
    }
    if (options.all) callback(null, fitting);
    else callback(null, fitting[0]!.address, fitting[0]!.family);
  };
}

/**
 * POSTs to a checked target over a fresh connection (no pooled socket from another answer) to one
 * of its checked addresses. Redirects are not followed: a 3xx is an answer like any other.
 */
export function postToTarget(
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        lookup: pinnedLookup(target.addresses),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
