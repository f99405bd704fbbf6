/**
 * What other features use of the credit report: server-side verification for the public site
 * (by number and code, or by the file's bytes) and the per-IP verification limit it shares.
 */
export { CreditReportVerifier, type CreditReportVerdict } from './verify.service';
export { VerifyRateLimiter } from './rate-limit';
