import crypto from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  normalizeReportNo,
  normalizeVerificationCode,
  RESULT_NOTICE,
  type CreditReportVerification,
} from '@heihe/shared';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { ReportRepository, summaryOf, type ReportRow } from './report.repository';
import { sha256Hex } from './report.service';

/** One answer for a wrong number, a wrong code or both: which part was wrong is never told. */
const NOT_FOUND_MESSAGE = '未找到与该报告编号和验证码相符的报告，请核对后重试';
const FILE_NOT_FOUND_MESSAGE = '该文件与本平台出具的任何报告都不一致：文件可能被修改，或并非本平台出具';
/** Compared against when the number is unknown, so that both failures take the same path. */
const DUMMY_HASH = sha256Hex('no such report');

/** Authentic, with what the cover shows; or not, with the one message a person is given. */
export type CreditReportVerdict = CreditReportVerification | { authentic: false; message: string };

/** The API's answer: a verdict that is not authentic is NOT_FOUND (404), with its message. */
export function authenticOrNotFound(v: CreditReportVerdict): CreditReportVerification {
  if (!v.authentic) throw new AppError(ErrorCodes.NOT_FOUND, v.message);
  return v;
}

/**
 * Public verification of a credit report: by number and verification code (the QR code carries
 * both), or by the PDF itself, compared by SHA-256 with the file as issued (no parsing: a changed
 * byte is a different hash). It shows no more than the report's cover, and the evaluation summary.
 * The public site calls this server-side through the report feature's public file.
 */
@Injectable()
export class CreditReportVerifier {
  private readonly repo: ReportRepository;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.repo = new ReportRepository(db);
  }

  async verify(q: { reportNo: string; code: string }): Promise<CreditReportVerdict> {
    const reportNo = normalizeReportNo(q.reportNo);
    const code = normalizeVerificationCode(q.code);
    const row = reportNo ? await this.repo.byNumber(reportNo) : null;
    const expected = Buffer.from(row?.codeHash ?? DUMMY_HASH, 'hex');
    const given = Buffer.from(sha256Hex(code ?? ''), 'hex');
    if (!crypto.timingSafeEqual(expected, given) || !row || !code)
      return { authentic: false, message: NOT_FOUND_MESSAGE };
    return this.result(row);
  }

  async verifyFile(data: Buffer): Promise<CreditReportVerdict> {
    const row = await this.repo.bySha256(sha256Hex(data));
    if (!row) return { authentic: false, message: FILE_NOT_FOUND_MESSAGE };
    return this.result(row);
  }

  private result(row: ReportRow): CreditReportVerification {
    return {
      authentic: true,
      reportNo: row.reportNo,
      generatedAt: row.generatedAt.toISOString(),
      validUntil: row.validUntil.toISOString(),
      expired: this.clock.now() > row.validUntil,
      enterpriseName: row.enterpriseName,
      uscc: row.uscc,
      purpose: row.purpose,
      summary: summaryOf(row),
      sha256: row.sha256,
      notice: RESULT_NOTICE,
    };
  }
}
