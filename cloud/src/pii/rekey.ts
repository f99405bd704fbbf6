import { appendAudit } from '../audit';
import type { Database } from '../db/database';
import type { Person } from '../generated/prisma/client';
import type { PiiVault } from './pii';

/** One committed batch of a rekey run. */
export interface RekeyBatch {
  /** The id range the batch read, inclusive. */
  firstId: number;
  lastId: number;
  /** Rows now sealed with the current key. */
  resealed: number;
  /** How many of them each earlier key had sealed; `legacy` for values from before key ids. */
  from: Record<string, number>;
  /** Rows left as they are: their value does not open, or opens to a number its hash does not match. */
  failed: { id: number; reason: string }[];
}

export interface RekeyResult {
  keyId: string;
  resealed: number;
  failed: { id: number; reason: string }[];
}

export interface RekeyOptions {
  /** Who runs it, for the audit trail (e.g. `cli:<os user>`). */
  actorId: string;
  batchSize?: number;
  /** Called after each batch has committed (progress). */
  onBatch?: (batch: RekeyBatch) => void;
}

/**
 * Reseals every stored ID number with the vault's current key, in batches of consecutive ids, one
 * transaction each, with its audit entry (`pii.rekey`) in the same transaction. Rows already under
 * the current key are not read, so a second run changes nothing (and audits nothing), and a run
 * stopped half way is finished by running it again.
 *
 * Each value is checked against its row's keyed hash before it is written back, so a rekey can
 * only ever store what lookups already find. A row that fails is reported and left unchanged.
 * The hash itself is not touched: lookups keep working during and after the run.
 */
export async function rekeyIdNumbers(db: Database, vault: PiiVault, opts: RekeyOptions): Promise<RekeyResult> {
  const batchSize = opts.batchSize ?? 500;
  const current = `v2:${vault.box.keyId}:`;
  const result: RekeyResult = { keyId: vault.box.keyId, resealed: 0, failed: [] };
  let after = 0;
  for (;;) {
    const batch = await db.tx(async (tx) => {
      // Raw SQL: the batch's rows are locked (FOR UPDATE) from read to write; the client cannot lock.
      const rows = await tx.query<Pick<Person, 'id' | 'idNumberCipher' | 'idNumberHash'>>(
        `SELECT id, id_number_cipher AS "idNumberCipher", id_number_hash AS "idNumberHash" FROM person
          WHERE id > $1 AND NOT starts_with(id_number_cipher, $2)
          ORDER BY id LIMIT $3 FOR UPDATE`,
        [after, current, batchSize],
      );
      if (!rows.length) return null;
      const b: RekeyBatch = { firstId: rows[0]!.id, lastId: rows.at(-1)!.id, resealed: 0, from: {}, failed: [] };
      const ids: number[] = [];
      const ciphers: string[] = [];
      for (const r of rows) {
        let clear: string;
        try {
          clear = vault.open(r.idNumberCipher);
        } catch (e) {
          b.failed.push({ id: r.id, reason: e instanceof Error ? e.message : String(e) });
          continue;
        }
        if (vault.hash(clear) !== r.idNumberHash) {
          b.failed.push({ id: r.id, reason: 'opens to a number its id_number_hash does not match' });
          continue;
        }
        const was = vault.box.keyIdIn(r.idNumberCipher) ?? 'legacy';
        b.from[was] = (b.from[was] ?? 0) + 1;
        ids.push(r.id);
        ciphers.push(vault.box.seal(clear));
      }
      // Raw SQL: one set-wise UPDATE per batch; a client update per row made a 500-row batch 15–60× slower.
      if (ids.length)
        await tx.query(
          `UPDATE person SET id_number_cipher = u.cipher
             FROM unnest($1::int[], $2::text[]) AS u(id, cipher) WHERE person.id = u.id`,
          [ids, ciphers],
        );
      b.resealed = ids.length;
      await appendAudit(tx, {
        actorKind: 'system',
        actorId: opts.actorId,
        action: 'pii.rekey',
        objectType: 'person',
        objectId: `${b.firstId}-${b.lastId}`,
        detail: { keyId: vault.box.keyId, resealed: b.resealed, from: b.from, failed: b.failed.map((f) => f.id) },
      });
      return b;
    });
    if (!batch) return result;
    opts.onBatch?.(batch);
    after = batch.lastId;
    result.resealed += batch.resealed;
    result.failed.push(...batch.failed);
  }
}
