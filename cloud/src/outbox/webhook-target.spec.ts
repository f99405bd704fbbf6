import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testConfig } from '../testing/config';
import { HostResolver, pinnedLookup, postToTarget, WebhookTargetPolicy, type ResolvedAddress } from './webhook-target';

/** DNS as a table; a name not in it does not resolve. */
class TableResolver extends HostResolver {
  constructor(readonly table: Record<string, string[]>) {
    super();
  }
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const found = this.table[hostname];
    if (!found) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}

const dns = () =>
  new TableResolver({
    'hooks.example.com': ['93.184.215.14'],
    localhost: ['127.0.0.1', '::1'],
    'intranet.example.com': ['10.1.2.3'],
    'split.example.com': ['93.184.215.14', '192.168.1.20'],
    'v6.example.com': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'mapped.example.com': ['::ffff:169.254.169.254'],
  });

const policy = (allow = '', resolver: HostResolver = dns()) =>
  new WebhookTargetPolicy(testConfig({ WEBHOOK_ALLOWED_HOSTS: allow }).WEBHOOK_ALLOWED_HOSTS, resolver);

describe('webhook target policy', () => {
  it.each([
    ['https://hooks.example.com/heihe'],
    ['https://93.184.215.14/heihe'],
    ['https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/heihe'],
    ['https://v6.example.com:8443/heihe'],
  ])('accepts a public https target: %s', async (url) => {
    const sut = await policy().check(url);

    expect(sut.ok).toBe(true);
  });

  it.each([
    ['plain http to a public host', 'http://hooks.example.com/heihe', 'not_https'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/', 'private_address'],
    ['loopback written in hex', 'https://0x7f000001/', 'private_address'],
    ['loopback written as one number', 'https://2130706433/', 'private_address'],
    ['loopback written short', 'https://127.1/', 'private_address'],
    ['loopback written in octal', 'https://0177.0.0.1/', 'private_address'],
    ['loopback by name', 'https://localhost/', 'private_address'],
    ['IPv6 loopback', 'https://[::1]/', 'private_address'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/', 'private_address'],
    ['IPv4-mapped metadata address', 'https://[::ffff:a9fe:a9fe]/', 'private_address'],
    ['IPv4-compatible IPv6', 'https://[::7f00:1]/', 'private_address'],
    ['NAT64 of loopback', 'https://[64:ff9b::7f00:1]/', 'private_address'],
    ['6to4 of a private address', 'https://[2002:c0a8:101::1]/', 'private_address'],
    ['the unspecified address', 'https://0.0.0.0/', 'private_address'],
    ['RFC 1918 10/8', 'https://10.0.0.1/', 'private_address'],
    ['RFC 1918 172.16/12', 'https://172.20.1.1/', 'private_address'],
    ['RFC 1918 192.168/16', 'https://192.168.1.1/', 'private_address'],
    ['carrier-grade NAT', 'https://100.64.0.1/', 'private_address'],
    ['IPv6 unique local', 'https://[fd00::1]/', 'private_address'],
    ['IPv6 link local', 'https://[fe80::1]/', 'private_address'],
    ['multicast', 'https://224.0.0.1/', 'private_address'],
    ['a name resolving inside', 'https://intranet.example.com/', 'private_address'],
    ['a name with one inside address among public ones', 'https://split.example.com/', 'private_address'],
    ['a name resolving to mapped IPv6 metadata', 'https://mapped.example.com/', 'private_address'],
    ['credentials in the URL', 'https://user:pw@hooks.example.com/', 'credentials'],
    ['another scheme', 'ftp://hooks.example.com/', 'invalid'],
    ['no URL at all', 'not a url', 'invalid'],
    ['a name that does not resolve', 'https://nowhere.example.com/', 'unresolvable'],
  ])('refuses %s', async (_what, url, code) => {
    const sut = await policy().check(url);

    expect(sut).toMatchObject({ ok: false, code });
  });

  it('names the refused address in the reason', async () => {
    const sut = await policy().check('https://0x7f000001/');

    expect(sut).toEqual({ ok: false, code: 'private_address', reason: '内网或保留地址（127.0.0.1）' });
  });

  it('lets an allowlisted host through, over http, whatever it resolves to', async () => {
    const sut = await policy('intranet.example.com').check('http://intranet.example.com:8080/hook');

    expect(sut).toMatchObject({ ok: true, target: { addresses: [{ address: '10.1.2.3', family: 4 }] } });
  });

  it('holds an allowlisted host to its port when the entry names one', async () => {
    const sut = policy('intranet.example.com:8443');

    expect((await sut.check('https://intranet.example.com:8443/')).ok).toBe(true);
    expect(await sut.check('https://intranet.example.com/')).toMatchObject({ ok: false, code: 'private_address' });
  });

  it('lets addresses in an allowlisted CIDR through, and no other inside address', async () => {
    const sut = policy('192.168.0.0/16');

    expect((await sut.check('http://192.168.4.4/')).ok).toBe(true);
    expect((await sut.check('https://split.example.com/')).ok).toBe(true);
    expect(await sut.check('https://10.0.0.1/')).toMatchObject({ ok: false, code: 'private_address' });
  });

  it('still wants https for a public address merely inside an allowlisted range', async () => {
    const sut = policy('192.168.0.0/16');

    expect(await sut.check('http://split.example.com/')).toMatchObject({ ok: false, code: 'not_https' });
  });

  it('matches an allowlist entry written in another IPv4 form', async () => {
    const sut = policy('0x7f000001');

    expect((await sut.check('http://127.0.0.1:9/x')).ok).toBe(true);
  });
});

describe('WEBHOOK_ALLOWED_HOSTS', () => {
  it('parses hosts, ports, IPv6 and CIDR ranges', () => {
    const sut = testConfig({ WEBHOOK_ALLOWED_HOSTS: ' hook.gov.internal , 127.0.0.1:8080,[::1]:9,10.0.0.0/8, ::1 ' });

    expect(sut.WEBHOOK_ALLOWED_HOSTS).toEqual([
      { kind: 'host', host: 'hook.gov.internal', port: null },
      { kind: 'host', host: '127.0.0.1', port: 8080 },
      { kind: 'host', host: '::1', port: 9 },
      { kind: 'cidr', cidr: '10.0.0.0/8' },
      { kind: 'host', host: '::1', port: null },
    ]);
  });

  it('refuses an entry it cannot read', () => {
    expect(() => testConfig({ WEBHOOK_ALLOWED_HOSTS: 'http://x.example.com/' })).toThrow('WEBHOOK_ALLOWED_HOSTS');
    expect(() => testConfig({ WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/33' })).toThrow('WEBHOOK_ALLOWED_HOSTS');
  });
});

describe('the connection to a checked target', () => {
  it('goes to the checked address, not to what DNS says at connect time', async () => {
    const server = http.createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      // No resolver knows this name: only the pinned lookup can have connected it.
      const url = new URL(`http://receiver.invalid:${port}/hook`);

      const sut = await postToTarget({ url, addresses: [{ address: '127.0.0.1', family: 4 }] }, {}, '{}', 2000);

      expect(sut).toBe(204);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('answers both one-address and all-addresses lookups from the checked list only', () => {
    const sut = pinnedLookup([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
    const seen: unknown[] = [];

    sut('hooks.example.com', { all: true }, (_e, a) => seen.push(a));
    sut('hooks.example.com', { family: 6 }, (_e, a, f) => seen.push([a, f]));

    expect(seen).toEqual([
      [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
      ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 6],
    ]);
  });
});
