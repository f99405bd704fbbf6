import crypto from 'node:crypto';
import { keyIdOf } from '../common/secret-box';
import { testConfig } from '../testing/config';
import { entitiesSql } from '../testing/seed-sql';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { PiiVault } from './pii';
import { rekeyIdNumbers, type RekeyBatch } from './rekey';

const OLD = '11'.repeat(32);
const NEW = '22'.repeat(32);
const OTHER = '44'.repeat(32);
const HASH = '33'.repeat(32);

/** ID number n of the fixtures (18 characters; the rekey does not check the check digit). */
const idNumber = (n: number) => `2311021990010${String(n).padStart(5, '0')}`;

/** A value as PiiVault sealed it before key ids: `v1:<base64(iv | tag | ciphertext)>`. */
function legacySeal(keyHex: string, clear: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  const body = Buffer.concat([c.update(clear, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

/** The sealed value with one bit of its ciphertext flipped. */
function tamper(sealed: string): string {
  const i = sealed.lastIndexOf(':') + 1;
  const raw = Buffer.from(sealed.slice(i), 'base64');
  raw[30]! ^= 1;
  return sealed.slice(0, i) + raw.toString('base64');
}

describe.each(testBackends())('rekeying stored ID numbers on %s', (backend) => {
  let t: TestDatabase;
  const beforeRotation = new PiiVault(OLD, HASH);
  const sut = PiiVault.fromConfig(
    testConfig({ PII_ENCRYPTION_KEY: NEW, PII_ENCRYPTION_KEYS_OLD: ` ${OLD}, `, PII_HASH_KEY: HASH }),
  );
  const newKeyOnly = new PiiVault(NEW, HASH);
  const rekey = (opts: { batchSize?: number; onBatch?: (b: RekeyBatch) => void } = {}) =>
    rekeyIdNumbers(t.db, sut, { actorId: 'cli:test', batchSize: 3, ...opts });

  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  afterAll(() => t.drop());
  beforeEach(() => t.reset());

  /** Person n with its ID number stored as `cipher`, legal representative of entity n. */
  async function person(n: number, cipher: string, hashOf = idNumber(n)): Promise<number> {
    const [p] = await t.db.query<{ id: number }>(
      `INSERT INTO person (name, id_number_cipher, id_number_hash, id_number_masked) VALUES ($1, $2, $3, $4) RETURNING id`,
      [`人${n}`, cipher, sut.hash(hashOf), '2311**********0000'],
    );
    await t.db.query(`UPDATE entity SET legal_rep_id = $1 WHERE id = $2`, [p!.id, n]);
    return p!.id;
  }

  /** Stored as before the rotation: 1–4 without a key id, 5–8 under the old key, 9–10 already under the new one. */
  async function storedBeforeRotation(): Promise<void> {
    await t.db.query(entitiesSql(10));
    for (let n = 1; n <= 4; n++) await person(n, legacySeal(OLD, idNumber(n)));
    for (let n = 5; n <= 8; n++) await person(n, beforeRotation.seal(idNumber(n)).cipher);
    for (let n = 9; n <= 10; n++) await person(n, newKeyOnly.seal(idNumber(n)).cipher);
  }

  const rows = () =>
    t.db.query<{ id: number; cipher: string; hash: string }>(
      `SELECT id, id_number_cipher AS cipher, id_number_hash AS hash FROM person ORDER BY id`,
    );

  const rekeyAudits = () =>
    t.db.query<{ actor_id: string; object_id: string; detail: Record<string, unknown> }>(
      `SELECT actor_id, object_id, detail FROM audit_log WHERE action = 'pii.rekey' ORDER BY id`,
    );

  /** The identity check's lookup: the enterprise whose legal representative has this ID number's hash. */
  async function lookup(uscc: string, id: string): Promise<number | undefined> {
    const [p] = await t.db.query<{ id: number }>(
      `SELECT p.id FROM entity e JOIN person p ON p.id = e.legal_rep_id WHERE e.uscc = $1 AND p.id_number_hash = $2`,
      [uscc, sut.hash(id)],
    );
    return p?.id;
  }
  const uscc = (n: number) => `91${String(n).padStart(16, '0')}`;

  it('moves every row to the current key, and the keyed-hash lookups still find each person', async () => {
    await storedBeforeRotation();
    const before = await rows();

    const r = await rekey();

    const after = await rows();
    expect(r).toEqual({ keyId: keyIdOf(NEW), resealed: 8, failed: [] });
    expect(after.map((p) => p.cipher.startsWith(`v2:${keyIdOf(NEW)}:`))).toEqual(Array(10).fill(true));
    expect(after.map((p) => newKeyOnly.open(p.cipher))).toEqual(before.map((_, i) => idNumber(i + 1)));
    expect(after.map((p) => p.hash)).toEqual(before.map((p) => p.hash));
    expect(after.slice(8)).toEqual(before.slice(8));
    for (let n = 1; n <= 10; n++) expect(await lookup(uscc(n), idNumber(n))).toBe(before[n - 1]!.id);
  });

  it('audits each batch with the key it moved to and the keys it moved from', async () => {
    await storedBeforeRotation();

    await rekey();

    const audits = await rekeyAudits();
    expect(audits.map((a) => a.object_id)).toEqual(['1-3', '4-6', '7-8']);
    expect(audits.every((a) => a.actor_id === 'cli:test' && a.detail.keyId === keyIdOf(NEW))).toBe(true);
    expect(audits.map((a) => a.detail.from)).toEqual([
      { legacy: 3 },
      { legacy: 1, [keyIdOf(OLD)]: 2 },
      { [keyIdOf(OLD)]: 2 },
    ]);
  });

  it('changes and audits nothing when run again', async () => {
    await storedBeforeRotation();
    await rekey();
    const before = await rows();
    const audited = (await rekeyAudits()).length;

    const r = await rekey();

    expect(r.resealed).toBe(0);
    expect(await rows()).toEqual(before);
    expect(await rekeyAudits()).toHaveLength(audited);
  });

  it('finishes an interrupted run when run again, resealing each row once', async () => {
    await storedBeforeRotation();
    const stop = new Error('stopped');
    await expect(
      rekey({
        onBatch: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect((await rows()).filter((p) => p.cipher.startsWith(`v2:${keyIdOf(NEW)}:`))).toHaveLength(5);

    const r = await rekey();

    expect(r.resealed).toBe(5);
    expect((await rows()).every((p) => p.cipher.startsWith(`v2:${keyIdOf(NEW)}:`))).toBe(true);
    expect((await rekeyAudits()).map((a) => a.detail.resealed)).toEqual([3, 3, 2]);
  });

  it('leaves a row it cannot open or whose number does not match its hash, reports it and goes on', async () => {
    await t.db.query(entitiesSql(4));
    const tampered = await person(1, tamper(beforeRotation.seal(idNumber(1)).cipher));
    const unknownKey = await person(2, new PiiVault(OTHER, HASH).seal(idNumber(2)).cipher);
    const swapped = await person(3, beforeRotation.seal(idNumber(9)).cipher, idNumber(3));
    await person(4, legacySeal(OLD, idNumber(4)));
    const before = await rows();

    const r = await rekey({ batchSize: 10 });

    expect(r.resealed).toBe(1);
    expect(r.failed.map((f) => f.id)).toEqual([tampered, unknownKey, swapped]);
    expect(r.failed[1]!.reason).toContain(keyIdOf(OTHER));
    const after = await rows();
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
    expect(newKeyOnly.open(after[3]!.cipher)).toBe(idNumber(4));
    expect((await rekeyAudits()).map((a) => a.detail.failed)).toEqual([[tampered, unknownKey, swapped]]);
  });
});
