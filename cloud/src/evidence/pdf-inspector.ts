import os from 'node:os';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../common/worker-path';
import { DEFAULT_PDF_LIMITS, type PdfLimits, type PdfVerdict } from './pdf';
import type { PdfInspectReply } from './pdf-inspect.worker';

/**
 * Checks a PDF for active content (pdf.ts). An abstract class, so it is its own DI token: the
 * pool of threads below by default.
 */
export abstract class PdfInspector {
  abstract check(data: Buffer): Promise<PdfVerdict>;
}

export interface PdfPoolOptions {
  /** Threads; default one per core but one, at most two, so the event loop keeps a core. */
  size?: number;
  /** A file still being checked after this long is refused and its thread replaced. */
  timeoutMs?: number;
  limits?: PdfLimits;
  /** Heap of each thread: room for the decode budget and the file's text, several times over. */
  maxHeapMb?: number;
}

interface Task {
  id: number;
  data: Buffer;
  resolve: (v: PdfVerdict) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/**
 * A small fixed pool of threads that check PDFs, so that decoding a hostile file (tens of MB of
 * inflated streams) never holds the event loop. Files queue for a free thread. A thread that dies
 * or overruns `timeoutMs` is replaced; the file it held is refused as malformed (a file that
 * crashes or stalls the checker is not one we can vouch for). Idle threads do not keep the
 * process alive.
 */
export class PdfInspectorPool extends PdfInspector implements OnModuleDestroy {
  private readonly log = new Logger('PdfInspector');
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private next = 1;
  private closed = false;
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly limits: PdfLimits;
  private readonly maxHeapMb: number;

  constructor(o: PdfPoolOptions = {}) {
    super();
    this.size = o.size ?? Math.max(1, Math.min(2, os.availableParallelism() - 1));
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.limits = o.limits ?? DEFAULT_PDF_LIMITS;
    this.maxHeapMb = o.maxHeapMb ?? 384;
  }

  /** Threads alive now (for tests). */
  get threads(): number {
    return this.slots.length;
  }

  check(data: Buffer): Promise<PdfVerdict> {
    if (this.closed) return Promise.reject(new Error('PDF inspector closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.next++, data, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const task = this.queue.shift()!;
      const s = slot;
      s.task = task;
      s.worker.ref();
      s.timer = setTimeout(() => this.retire(s, 'PDF 检查超时'), this.timeoutMs);
      s.worker.postMessage({ id: task.id, data: task.data });
    }
  }

  private spawn(): Slot {
    // From a build, the compiled worker; from sources (jest), its .ts: never a stale dist/.
    const worker = startWorker(__dirname, 'pdf-inspect.worker', {
      workerData: this.limits,
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
    const slot: Slot = { worker, task: null, timer: null };
    worker.on('message', (m: PdfInspectReply) => {
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      this.finish(slot);
      if ('error' in m) task.reject(new Error(`PDF inspection failed: ${m.error}`));
      else task.resolve(m.verdict);
      this.pump();
    });
    worker.on('error', (e) => this.retire(slot, 'PDF 无法检查', e));
    worker.on('exit', () => this.retire(slot, 'PDF 无法检查'));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    slot.worker.unref();
  }

  /** Drops a thread that died or overran; the file it held is refused, the queue moves on. */
  private retire(slot: Slot, what: string, e?: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    const task = slot.task;
    this.finish(slot);
    void slot.worker.terminate();
    if (task) {
      this.log.warn(`${what}: thread replaced${e ? ` (${e.message})` : ''}`);
      task.resolve({ ok: false, reason: 'malformed', what });
    }
    if (!this.closed) this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('PDF inspector closed'));
    const workers = this.slots.map((s) => s.worker);
    for (const s of [...this.slots]) {
      s.task?.reject(new Error('PDF inspector closed'));
      s.task = null;
      this.retire(s, 'closed');
    }
    await Promise.all(workers.map((w) => w.terminate()));
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}

let shared: PdfInspectorPool | null = null;

/** One pool for the process, for an EvidenceService built without DI (tools, tests). */
export function sharedPdfInspector(): PdfInspector {
  shared ??= new PdfInspectorPool();
  return shared;
}
