import { hashApiKey, verifyPassword } from '../auth';
import { SecretBox } from '../common/secret-box';
import { PiiVault } from '../pii';
import { testConfig } from '../testing/config';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { DEMO_ENTERPRISES, formatDemoIdentities, seedDemoIdentities } from './demo-identities';

describe.each(testBackends())('demo identities on %s', (backend) => {
  let t: TestDatabase;
  const config = testConfig();
  const vault = new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY);

  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  afterAll(() => t.drop());

  it('creates enterprises, staff and a bank client whose printed credentials work, once', async () => {
    const first = await seedDemoIdentities(t.db, vault, config);
    const second = await seedDemoIdentities(t.db, vault, config);

    expect(second).toEqual(first);
    const [n] = await t.db.query<{ staff: number; clients: number; entities: number }>(
      `SELECT (SELECT count(*)::int FROM staff_account) AS staff, (SELECT count(*)::int FROM api_client) AS clients,
              (SELECT count(*)::int FROM entity) AS entities`,
    );
    // Two demo banks (信易贷 needs a second to show that a bank sees only its own).
    expect(n).toEqual({ staff: 3, clients: 2, entities: 2 });
    const box = new SecretBox(config.TOTP_ENCRYPTION_KEY);
    for (const s of first.staff) {
      const [row] = await t.db.query<{ hash: string; cipher: string; role: string }>(
        `SELECT password_hash AS hash, totp_secret_cipher AS cipher, role FROM staff_account WHERE username = $1`,
        [s.username],
      );
      expect(await verifyPassword(s.password, row!.hash)).toBe(true);
      expect(box.open(row!.cipher)).toBe(s.totpSecret);
      expect(row!.role).toBe(s.role);
    }
    expect(first.staff.map((s) => s.role).sort()).toEqual(['admin', 'investment_officer', 'reviewer']);
    const [bank] = await t.db.query(`SELECT 1 FROM api_client WHERE key_hash = $1`, [
      hashApiKey(first.apiClients[0]!.apiKey),
    ]);
    expect(bank).toBeDefined();
  });

  it('makes each demo legal representative the registered one, and scores the enterprises', async () => {
    const rows = await t.db.query<{ uscc: string; hash: string; scored: boolean }>(
      `SELECT e.uscc, p.id_number_hash AS hash, EXISTS (SELECT 1 FROM entity_score s WHERE s.entity_id = e.id AND s.grade IS NOT NULL) AS scored
       FROM entity e JOIN person p ON p.id = e.legal_rep_id ORDER BY e.uscc`,
    );
    expect(rows).toEqual(
      [...DEMO_ENTERPRISES]
        .sort((a, b) => a.uscc.localeCompare(b.uscc))
        .map((e) => ({ uscc: e.uscc, hash: vault.hash(e.legalRep.idNumber), scored: true })),
    );
  });

  it('prints what a newcomer needs', async () => {
    const text = formatDemoIdentities(await seedDemoIdentities(t.db, vault, config));

    for (const e of DEMO_ENTERPRISES) expect(text).toContain(e.legalRep.idNumber);
    expect(text).toContain('demo-admin');
    expect(text).toContain('otpauth://totp/');
  });

  it('refuses production', async () => {
    await expect(seedDemoIdentities(t.db, vault, { ...config, NODE_ENV: 'production' })).rejects.toThrow(/production/);
  });
});
