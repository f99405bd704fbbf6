/** What other features use of the PII vault: sealing, hashing and opening ID numbers, and rekeying them. */
export { PiiVault, type SealedIdNumber } from './pii';
export { rekeyIdNumbers } from './rekey';
