/** What other features use of the audit trail: appending in the caller's transaction, sealing, verifying and purging. */
export { appendAudit, AUDIT_COLUMNS, auditValues, type AuditEntry } from './audit';
export { sealAll, sealAudit } from './seal';
export { describeVerification, purgeAudit, verifyAuditChain } from './verify';
