/**
 * What other features use of the credit report: server-side verification for the public site
 * (by number and code, or by the file's bytes) and the per-IP verification limit it shares; the PDF
 * document with its embedded Noto Sans SC and the layout pieces, for other features' reports.
 */
export { CreditReportVerifier, type CreditReportVerdict } from './verify.service';
export { VerifyRateLimiter } from './rate-limit';
export { ensureSpace, heading, keyValues, openPdf, paragraph, PDF_LAYOUT, sub, table, type Column } from './pdf';
