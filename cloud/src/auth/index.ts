/**
 * What other features use of auth: who is calling, the enterprises a user acts for, the tokens
 * identity verification signs, and the account tools. Everything else in auth/ is its own.
 */
export {
  actorOf,
  assertEntityAccess,
  CurrentPrincipal,
  isStaffRole,
  staffRole,
  STAFF_ROLES,
  type Principal,
  type StaffRole,
} from './principal';
export { activeBindings, bindingMethod } from './bindings';
export { TokenService, type FaceVerifyState } from './tokens';
export {
  API_CLIENT_KINDS,
  createApiClient,
  createStaffAccount,
  newApiKey,
  resetStaffTotp,
  type ApiClientKind,
  type CreatedStaff,
  type NewApiClient,
  type NewStaff,
} from './accounts';
export { base32Decode, base32Encode, otpauthUri, totp } from './totp';
export { AuthGuard } from './auth.guard';
export { Authenticator, hashApiKey } from './authenticator';
export { verifyPassword } from './password';
