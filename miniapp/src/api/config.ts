/**
 * The API's base URL. TARO_APP_API is replaced at build time (config/index.ts): '' for H5, which
 * the API's own server hosts on the same origin, and an absolute origin for the mini program.
 */
export const API_BASE = `${process.env.TARO_APP_API ?? ''}/api`;

export const REQUEST_TIMEOUT_MS = 15_000;

/** An evidence photo on a weak 4G signal needs longer than a JSON call. */
export const UPLOAD_TIMEOUT_MS = 60_000;

/**
 * The credit agency's contact as the help page shows it: set per deployment at build time
 * (TARO_APP_AGENCY_NAME, _PHONE, _ADDRESS, _HOURS; see config/index.ts). 12345 is the government
 * service hotline, which reaches the agency everywhere.
 */
export const AGENCY_CONTACT = {
  name: process.env.TARO_APP_AGENCY_NAME || '黑河市公共信用工作机构',
  phone: process.env.TARO_APP_AGENCY_PHONE || '12345',
  address: process.env.TARO_APP_AGENCY_ADDRESS || '黑河市政务服务中心（演示地址，部署时配置）',
  hours: process.env.TARO_APP_AGENCY_HOURS || '工作日 9:00–12:00，13:30–17:00',
};
