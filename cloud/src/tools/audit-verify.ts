import { sealAudit, describeVerification, verifyAuditChain } from '../audit';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open';

/**
 * npm run audit:verify: seals what is sealable (as the API's sealer would), then recomputes the
 * seal chain and every row's content hash. Exits 1 at the first row that does not verify, naming
 * it, or when rows older than five minutes are still unsealed; 0 when the chain is intact. (On
 * embedded PGlite, stop the API first: only one process may open its data directory.)
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, { poolSize: 1 });
  try {
    await sealAudit(db);
    const { text, exitCode } = describeVerification(await verifyAuditChain(db));
    (exitCode === 0 ? process.stdout : process.stderr).write(text);
    process.exitCode = exitCode;
  } finally {
    await db.close();
  }
  process.exit(process.exitCode ?? 0);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
