export {
  ACTUAL_CONTROL_THRESHOLD,
  BENEFICIAL_OWNER_THRESHOLD,
  penetrate,
  type HolderKind,
  type Holding,
  type OwnershipFlag,
  type OwnershipFlagCode,
  type OwnershipPath,
  type PathEdge,
  type Penetration,
  type PenetrationOptions,
  type UltimateHolder,
} from './penetration';
