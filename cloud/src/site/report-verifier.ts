import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { VerifiedReport } from '@heihe/shared';
import { CreditReportVerifier, VerifyRateLimiter, type CreditReportVerdict } from '../report';

/**
 * What the verify page needs of the credit report: a report by number and code, or by its file,
 * counted against the same per-IP verification limit as the report's own API. Null when nothing
 * matches (never which part was wrong).
 */
@Injectable()
export class ReportVerifier {
  constructor(private readonly refs: ModuleRef) {}

  // The report feature's providers, found where ReportModule registered them (app.module).
  private get verifier(): CreditReportVerifier {
    return this.refs.get(CreditReportVerifier, { strict: false });
  }

  /** Throws RATE_LIMITED (429) past the report's per-IP allowance. */
  take(ip: string): void {
    this.refs.get(VerifyRateLimiter, { strict: false }).take(ip);
  }

  async verify(reportNo: string, code: string): Promise<VerifiedReport | null> {
    return shown(await this.verifier.verify({ reportNo, code }));
  }

  async verifyFile(pdf: Buffer): Promise<VerifiedReport | null> {
    return shown(await this.verifier.verifyFile(pdf));
  }
}

function shown(v: CreditReportVerdict): VerifiedReport | null {
  if (!v.authentic) return null;
  return {
    reportNo: v.reportNo,
    generatedAt: v.generatedAt,
    validUntil: v.validUntil,
    expired: v.expired,
    enterpriseName: v.enterpriseName,
    uscc: v.uscc,
    purpose: v.purpose,
    summary: {
      grade: v.summary.grade,
      score: v.summary.score,
      evaluatedAt: v.summary.evaluatedAt,
      records: v.summary.records,
    },
  };
}
