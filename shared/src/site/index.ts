export { maskPublicName, NEGATIVE_RECORD_KINDS, PUBLIC_RECORD_KINDS, publicRecords } from './disclosure';
export type { SiteContext, SiteView, VerifiedReport, VerifyOutcome } from './views';
