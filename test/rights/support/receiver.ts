import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../../cloud/src/outbox/webhook-signer';

export interface Receipt {
  messageId: string;
  topic: string;
  attempt: number;
  body: string;
  signatureValid: boolean;
}

export type Reply = 'ok' | 'fail' | 'hold';

/**
 * A regulator department's webhook as the integration guide asks them to write it: verify the
 * signature, then process each message ID once and acknowledge duplicates without processing.
 */
export class DedupReceiver {
  readonly receipts: Receipt[] = [];
  readonly processed = new Map<string, unknown>();
  /** Decides the answer to the nth request (0-based); default always 'ok'. */
  reply: (n: number, r: Receipt) => Reply = () => 'ok';
  private held: http.ServerResponse[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private server!: http.Server;
  url = '';

  constructor(private readonly secret: () => string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const r: Receipt = {
          messageId: String(req.headers['x-heihe-message-id']),
          topic: String(req.headers['x-heihe-topic']),
          attempt: Number(req.headers['x-heihe-attempt']),
          body,
          signatureValid: verifyWebhook(
            this.secret(),
            req.headers['x-heihe-signature'] as string | undefined,
            body,
            new Date(),
          ),
        };
        const n = this.receipts.push(r) - 1;
        const answer = r.signatureValid ? this.reply(n, r) : 'fail';
        if (answer !== 'fail' && !this.processed.has(r.messageId)) this.processed.set(r.messageId, JSON.parse(body));
        for (const w of this.waiters.filter((x) => this.receipts.length >= x.n)) w.resolve();
        this.waiters = this.waiters.filter((x) => this.receipts.length < x.n);
        if (answer === 'hold') this.held.push(res);
        else res.writeHead(answer === 'ok' ? 200 : 500).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  /** Resolves once n requests have arrived. */
  arrived(n: number): Promise<void> {
    if (this.receipts.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(25);
  }
}
