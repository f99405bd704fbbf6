import { bucketGroup, usccBucket } from '../db/shard';
import type { RawLine } from './prepare';

/**
 * Cuts a delivery's lines into chunks of at most `chunkSize` lines, each of one bucket group
 * (ADR 0024): a line joins the buffer of its USCC's group, and a buffer that fills is a chunk, so
 * a chunk commits on the shard that owns its group. Lines keep their delivery order within a group,
 * and an entity's rows (one USCC) share a group. With one group (the default) the chunks are the
 * delivery's consecutive slices, as before groups. A line without a USCC (unparsable, or invalid
 * anyway) goes with group 0; it is only rejected.
 */
export class ChunkCutter {
  private readonly buffers: RawLine[][];
  /** Per group, how many chunks it has cut: a buffer's identity while it fills. */
  private readonly cut: number[];

  constructor(
    private readonly chunkSize: number,
    private readonly groups = 1,
  ) {
    bucketGroup(0, groups); // validates `groups`
    this.buffers = Array.from({ length: groups }, () => []);
    this.cut = Array.from({ length: groups }, () => 0);
  }

  groupOf(l: RawLine): number {
    if (this.groups === 1 || l.error) return 0;
    const uscc = typeof l.raw === 'object' && l.raw !== null ? (l.raw as { uscc?: unknown }).uscc : undefined;
    return typeof uscc === 'string' ? bucketGroup(usccBucket(uscc), this.groups) : 0;
  }

  /** Which chunk of `group` a line added now would be in. */
  chunkOf(group: number): number {
    return this.cut[group]!;
  }

  /** Adds a line to `group`'s buffer (its own group's by default); returns the chunk it fills, if any. */
  add(l: RawLine, group = this.groupOf(l)): RawLine[] | undefined {
    const buffer = this.buffers[group]!;
    buffer.push(l);
    if (buffer.length < this.chunkSize) return undefined;
    this.buffers[group] = [];
    this.cut[group]!++;
    return buffer;
  }

  /** The partly filled buffers as chunks, in the order of their first line; the buffers start over. */
  rest(): RawLine[][] {
    const out: RawLine[][] = [];
    this.buffers.forEach((buffer, group) => {
      if (!buffer.length) return;
      out.push(buffer);
      this.buffers[group] = [];
      this.cut[group]!++;
    });
    return out.sort((x, y) => x[0]!.line - y[0]!.line);
  }
}
