import fs from 'node:fs';
import { parse } from 'csv-parse';
import { RepeatedKeys, type RawLine } from './prepare';

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
  // Lines are split by hand: readline's per-line events and its CR/LF regular expression cost more
  // than the JSON parse itself at millions of lines.
  stream.setEncoding('utf8');
  let line = 0;
  let rest = '';
  const parseLine = (text: string): RawLine | null => {
    line++;
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (!t.trim()) return null;
    try {
      return { line, raw: JSON.parse(t) };
    } catch (e) {
      return { line, raw: null, error: `JSON 无法解析：${(e as Error).message}` };
    }
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const l = parseLine(text.slice(from, nl));
      from = nl + 1;
      if (l) yield l;
    }
    rest = text.slice(from);
  }
  if (rest) {
    const l = parseLine(rest);
    if (l) yield l;
  }
}

/**
 * The lines of a delivery file that a later line with the same key replaces (line → that line):
 * a first, lighter read of the file (parsing, no validation), so that a repeat across chunks is
 * resolved before the first chunk is written.
 */
export async function readRepeatedKeys(file: string): Promise<Map<number, number>> {
  const keys = new RepeatedKeys();
  for await (const l of readDeliveryFile(file)) keys.add(l);
  return keys.superseded();
}
