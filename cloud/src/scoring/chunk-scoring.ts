import type { Worker } from 'node:worker_threads';
import { evaluate, type CompiledModel } from '@heihe/shared';
import { startWorker } from '../common/worker-path';
import { forEachFactInCopy } from '../records';
import { EvaluationEncoder, type EncodedEvaluations } from './evaluation.encoding';
import type { StoredModel } from './model.repository';

/** What scoring one cycle chunk takes: its facts as read, its slots, its instant and its model. */
export interface ChunkScoringTask {
  /** A binary COPY of the chunk's fact rows (facts.repository's FACT_COLUMNS). */
  copy: Uint8Array;
  /** The chunk's entities in id order, with each one's bucket and the evaluation id reserved for it. */
  entityIds: number[];
  buckets: number[];
  evaluationIds: string[];
  from: number;
  to: number;
  /** The instant the records are known at (ISO), and the China date the model applies on. */
  asOf: string;
  asOfDate: string;
  cycleId: number;
  trigger: string;
  /** The chunk's model version (published: the thread compiles each version once, `compileStored`). */
  model: Pick<StoredModel, 'version' | 'status' | 'definition'>;
}

/**
 * Decodes, scores and encodes one chunk: the CPU-bound middle of a cycle chunk, between its read
 * and its write. Pure. `initialBytes`: the encoder's first buffer (it doubles as needed).
 */
export function scoreChunk(task: ChunkScoringTask, model: CompiledModel, initialBytes?: number): EncodedEvaluations {
  const encoder = new EvaluationEncoder(
    { asOf: new Date(task.asOf), trigger: task.trigger, cycleId: task.cycleId },
    task,
    initialBytes,
  );
  const copy = Buffer.from(task.copy.buffer, task.copy.byteOffset, task.copy.byteLength);
  forEachFactInCopy(copy, task.entityIds, task.from, task.to, (entityId, facts) =>
    encoder.add(entityId, evaluate(model, facts, task.asOfDate, { notes: false })),
  );
  return encoder.done();
}

/**
 * The bytes of `b` in an ArrayBuffer of their own, to hand to another thread without copying: a
 * large Buffer owns its memory, a small one may sit in Node's shared pool and is copied out.
 */
function ownBytes(b: Uint8Array): Uint8Array {
  return b.byteLength >= Buffer.poolSize ? b : Uint8Array.prototype.slice.call(b);
}

export type ScoringReply = { id: number; result: EncodedEvaluations } | { id: number; error: string };

/** See `ScoringThread.start`. */
const YOUNG_GENERATION_MB = 96;

/**
 * A thread that scores chunks for this process, so that the main thread keeps reading and writing
 * the database for the other chunks in flight while one is scored: the cycle's two halves, the
 * database's and Node's, run on both cores. Started on first use; it does not keep the process
 * alive while idle; if it dies, the chunks it held fail (their transactions roll back and they are
 * retried like any failed chunk) and the next chunk starts a new thread.
 */
export class ScoringThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve: (r: EncodedEvaluations) => void; reject: (e: Error) => void }
  >();
  private next = 1;

  score(task: ChunkScoringTask): Promise<EncodedEvaluations> {
    const worker = this.start();
    const id = this.next++;
    const copy = ownBytes(task.copy);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.ref();
      worker.postMessage({ id, task: { ...task, copy } }, [copy.buffer as ArrayBuffer]);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A young generation larger than V8's default: a chunk allocates ~100 MB of short-lived facts
    // and effects, and at the default size the scavenges cost a fifth of the thread's time.
    const worker = startWorker(__dirname, 'chunk-scoring.worker', {
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.on('message', (m: ScoringReply) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!this.holds(worker)) worker.unref();
      if (!p) return;
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    worker.on('error', (e) => this.fail(worker, e));
    worker.on('exit', (code) => this.fail(worker, new Error(`scoring thread exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private holds(worker: Worker): boolean {
    for (const p of this.pending.values()) if (p.worker === worker) return true;
    return false;
  }

  /** Fails the chunks `worker` holds (and only those: a new thread may already have others). */
  private fail(worker: Worker, e: Error): void {
    if (this.worker === worker) this.worker = null;
    for (const [id, p] of this.pending)
      if (p.worker === worker) {
        this.pending.delete(id);
        p.reject(e);
      }
  }

  /** Stops the thread; the chunks it holds fail at once. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.fail(w, new Error('scoring thread stopped'));
    await w.terminate();
  }
}
