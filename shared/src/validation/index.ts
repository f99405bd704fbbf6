export { checkUscc, isHeiheRegion, makeUscc, normalizeUscc, usccCheckChar, USCC_CHARSET, type UsccCheck } from './uscc';
export {
  checkIdNumber,
  idNumberCheckChar,
  makeIdNumber,
  normalizeIdNumber,
  type IdNumberCheck,
  type IdNumberCheckOptions,
} from './id-number';
export { maskIdNumber, maskName } from './mask';
export {
  idNumberSchema,
  idParamSchema,
  idSchema,
  industryPrefixSchema,
  regionPrefixSchema,
  INT4_MAX,
  RECORD_ID_MAX,
  recordIdParamSchema,
  recordIdSchema,
  isCalendarDate,
  isoDateSchema,
  isStorableJson,
  isStorableText,
  makeIdNumberSchema,
  safeText,
  usccSchema,
} from './schemas';
