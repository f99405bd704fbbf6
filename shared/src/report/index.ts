export {
  exclusionOf,
  REPORT_SECTION_OF,
  REPORT_SECTION_TITLES,
  REPORT_SECTIONS,
  reportSections,
  sectionCounts,
  type ReportExclusion,
  type ReportMark,
  type ReportRecord,
  type ReportRecordInput,
  type ReportSection,
  type ReportSections,
} from './sections';
export {
  base32Chars,
  CROCKFORD,
  formatVerificationCode,
  normalizeReportNo,
  normalizeVerificationCode,
  REPORT_NO_PATTERN,
  VERIFICATION_CODE_BITS,
  VERIFICATION_CODE_CHARS,
} from './codes';
