import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import type { RawLine } from './ingestor';

/** Streams a delivery file line by line; `onBytes` reports progress by bytes read. */
export async function* readDeliveryFile(file: string, onBytes?: (read: number) => void): AsyncGenerator<RawLine> {
  const stream = fs.createReadStream(file);
  if (onBytes) stream.on('data', () => onBytes(stream.bytesRead));
  if (/\.csv$/i.test(file)) {
    const parser = stream.pipe(
      parse({ columns: true, bom: true, info: true, skip_empty_lines: true, relax_column_count: true }),
    );
    try {
      for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        yield { line: rec.info.lines, raw: rec.record };
      }
    } catch (e) {
      yield { line: -1, raw: null, error: `CSV 无法解析：${(e as Error).message}` };
    }
    return;
  }
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, raw: JSON.parse(text) };
    } catch (e) {
      yield { line, raw: null, error: `JSON 无法解析：${(e as Error).message}` };
    }
  }
}
