import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDeliveryFile } from './file-source';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-src-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function read(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  const out = [];
  for await (const l of readDeliveryFile(file)) out.push(l);
  return out;
}

describe('readDeliveryFile (JSONL)', () => {
  it('numbers lines as an editor does: blank lines count, CRLF is one break, the last line needs no break', async () => {
    const lines = await read('a.jsonl', '{"a":1}\r\n\n  \n{"a":2}\n{"a":3}');
    expect(lines).toEqual([
      { line: 1, raw: { a: 1 } },
      { line: 4, raw: { a: 2 } },
      { line: 5, raw: { a: 3 } },
    ]);
  });

  it('reports a broken line by its number and goes on', async () => {
    const lines = await read('b.jsonl', '{"a":1}\n{"a":\n{"a":3}\n');
    expect(lines.map((l) => [l.line, l.error ? 'error' : l.raw])).toEqual([
      [1, { a: 1 }],
      [2, 'error'],
      [3, { a: 3 }],
    ]);
    expect(lines[1]!.error).toContain('JSON 无法解析');
  });

  it('keeps multi-byte text whole across the reader’s chunk boundaries', async () => {
    // Lines of Chinese text well past the stream's 64 KiB chunks, so characters straddle them.
    const names = Array.from({ length: 3000 }, (_, i) => `黑河市第${i}号粮食加工有限公司`);
    const lines = await read('c.jsonl', names.map((name) => JSON.stringify({ name })).join('\n'));
    expect(lines.map((l) => (l.raw as { name: string }).name)).toEqual(names);
    expect(lines.at(-1)!.line).toBe(3000);
  });
});
