import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../common/worker-path';
import type { ReportDocument } from './pdf';
import type { RenderReply } from './render.worker';

/** Renders report PDFs. An abstract class, so it is its own DI token: one thread by default. */
export abstract class ReportRenderer {
  abstract render(doc: ReportDocument): Promise<{ data: Buffer; pages: number }>;
}

interface Pending {
  resolve: (v: { data: Buffer; pages: number }) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One rendering thread, started with the app and warmed (fonts loaded) in the background: laying
 * out a report and subsetting the CJK font takes some 300–800 ms of CPU, which must not hold the
 * event loop. Reports queue in the thread.
 * A thread that dies or overruns is replaced, and the reports it held fail. An idle thread does
 * not keep the process alive.
 */
export class ThreadReportRenderer extends ReportRenderer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ReportRenderer');
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  private closed = false;

  constructor(private readonly timeoutMs = 60_000) {
    super();
  }

  /**
   * Starts the thread and has it load the fonts while the app starts serving: the first report
   * then takes what any report takes. Failure is only logged; the first render tries again.
   */
  onApplicationBootstrap(): void {
    this.send(null).catch((e: unknown) => this.log.warn(`warm-up failed: ${e instanceof Error ? e.message : e}`));
  }

  render(doc: ReportDocument): Promise<{ data: Buffer; pages: number }> {
    return this.send(doc);
  }

  private send(doc: ReportDocument | null): Promise<{ data: Buffer; pages: number }> {
    if (this.closed) return Promise.reject(new Error('report renderer closed'));
    const w = this.thread();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error('report rendering timed out')), this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      w.ref();
      w.postMessage({ id, doc });
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker(__dirname, 'render.worker', { resourceLimits: { maxOldGenerationSizeMb: 512 } });
    w.on('message', (m: RenderReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve({ data: Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength), pages: m.pages });
      if (!this.pending.size) w.unref();
    });
    w.on('error', (e) => this.fail(e));
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = null;
      if (this.pending.size) this.fail(new Error(`report rendering thread exited (${code})`));
    });
    this.worker = w;
    return w;
  }

  /** Fails every report in flight and replaces the thread on the next render. */
  private fail(e: Error): void {
    if (!this.closed) this.log.error(`report rendering failed: ${e.message}`);
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(e);
    }
    this.pending.clear();
    void w?.terminate();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('report renderer closed'));
    }
    this.pending.clear();
    await w?.terminate();
  }
}
