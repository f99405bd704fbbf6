import zlib from 'node:zlib';
import { PdfInspectorPool } from './pdf-inspector';

const pdf = (dict: string, streams = '') =>
  Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog ${dict} >>\nendobj\n${streams}trailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );

function hexObjStm(content: string): string {
  const data = `${Buffer.from(content, 'latin1').toString('hex')}>`;
  return `5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`;
}

/** Object streams that inflate to `mb` MB each: work for a thread, harmless content. */
function heavy(streams: number, mb: number): Buffer {
  const body = zlib.deflateSync(Buffer.alloc(mb * 1024 * 1024, 0x20), { level: 9 });
  let s = '';
  for (let i = 0; i < streams; i++)
    s += `${10 + i} 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${body.length} >>\nstream\n${body.toString('latin1')}\nendstream\nendobj\n`;
  return pdf('/Pages 2 0 R', s);
}

describe('PdfInspectorPool', () => {
  let sut: PdfInspectorPool;
  afterEach(() => sut?.close());

  it('checks files in its threads: refuses active content, passes a plain document', async () => {
    sut = new PdfInspectorPool({ size: 2 });

    const verdicts = await Promise.all([
      sut.check(pdf('/Pages 2 0 R', hexObjStm('6 0 << /S /JavaScript /JS (x) >>'))),
      sut.check(pdf('/Pages 2 0 R')),
      sut.check(pdf('/Pages 2 0 R', hexObjStm('6 0 << /S /Launch >>'))),
    ]);

    expect(verdicts).toEqual([
      expect.objectContaining({ ok: false, reason: 'active' }),
      { ok: true },
      expect.objectContaining({ ok: false, reason: 'active' }),
    ]);
    expect(sut.threads).toBe(2);
  }, 30_000);

  it('refuses a file that overruns the time limit, and goes on with a new thread', async () => {
    sut = new PdfInspectorPool({ size: 1, timeoutMs: 1 });
    const slow = sut.check(heavy(20, 3));
    const verdict = await slow;

    (sut as unknown as { timeoutMs: number }).timeoutMs = 20_000;
    const next = await sut.check(pdf('/Pages 2 0 R'));

    expect([verdict, next]).toEqual([{ ok: false, reason: 'malformed', what: 'PDF 检查超时' }, { ok: true }]);
  }, 30_000);

  it('refuses a file whose thread dies, and goes on with a new thread', async () => {
    sut = new PdfInspectorPool({ size: 1 });
    const inFlight = sut.check(heavy(20, 3));
    const [slot] = (sut as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots;

    await slot!.worker.terminate();
    const crashed = await inFlight;
    const next = await sut.check(pdf('/Pages 2 0 R', hexObjStm('6 0 << /S /JavaScript >>')));

    expect(crashed).toEqual({ ok: false, reason: 'malformed', what: 'PDF 无法检查' });
    expect(next).toMatchObject({ ok: false, reason: 'active' });
  }, 30_000);

  it('keeps the event loop turning while a thread decodes a hostile file', async () => {
    sut = new PdfInspectorPool({ size: 1 });
    await sut.check(pdf('/Pages 2 0 R'));
    let ticks = 0;
    const tick = () => {
      ticks++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);

    await sut.check(heavy(20, 3));
    done = true;

    expect(ticks).toBeGreaterThan(1);
  }, 30_000);
});
