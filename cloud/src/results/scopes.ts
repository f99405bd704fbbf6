/**
 * The API-client scopes of results in use. Scopes are free strings on `api_client.scopes`
 * (`npm run admin -- create-api-client --scopes …`); these are the ones this feature checks.
 */
export const RESULT_SCOPES = {
  /** Approval systems: the green-channel check (checkIncentives). */
  incentives: 'incentives:read',
  /** Banks: the 信易贷 重点推介 list (listRecommendedEnterprises). */
  recommendations: 'recommendations:read',
  /** Departments, banks, associations: the change feed (listResultFeed). */
  feed: 'results:feed',
} as const;
