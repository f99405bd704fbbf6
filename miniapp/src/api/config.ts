/**
 * The API's base URL. TARO_APP_API is replaced at build time (config/index.ts): '' for H5, which
 * the API's own server hosts on the same origin, and an absolute origin for the mini program.
 */
export const API_BASE = `${process.env.TARO_APP_API ?? ''}/api`;

export const REQUEST_TIMEOUT_MS = 15_000;

/** An evidence photo on a weak 4G signal needs longer than a JSON call. */
export const UPLOAD_TIMEOUT_MS = 60_000;
