import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AppConfig } from '../config/config';

export type SubjectKind = 'user' | 'staff';

/** What an access token says: who, and which sign-in (refresh-token family) it belongs to. */
export interface AccessClaims {
  kind: SubjectKind;
  subjectId: number;
  /** The auth_session family; revoking it (logout, refresh reuse) ends the access token too. */
  sessionId: string;
}

/** The state of a face verification between getverifyid and queryverifyinfo, carried by the client. */
export interface FaceVerifyState {
  userId: number;
  entityId: number;
  personId: number;
  verifyId: string;
  outSeqNo: string;
}

type TokenConfig = Pick<AppConfig, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'ACCESS_TOKEN_TTL_S'>;

const ALGORITHM = 'HS256';
const SUBJECT = /^(user|staff):([1-9]\d{0,9})$/;

/**
 * Signs and verifies our JWTs. The key is a KeyObject made once (jsonwebtoken rebuilds a key from
 * a string secret on every call: 25× slower), the algorithm is pinned on both sides, and
 * audience, issuer and expiry are always checked. Face-verification state uses its own
 * audience, so neither kind of token is accepted as the other.
 */
export class TokenService {
  private readonly key: crypto.KeyObject;
  private readonly faceAudience: string;

  constructor(private readonly config: TokenConfig) {
    this.key = crypto.createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
    this.faceAudience = `${config.JWT_AUDIENCE}#face-verify`;
  }

  get accessTtlS(): number {
    return this.config.ACCESS_TOKEN_TTL_S;
  }

  issueAccess(c: AccessClaims): string {
    return jwt.sign({ sid: c.sessionId }, this.key, {
      algorithm: ALGORITHM,
      subject: `${c.kind}:${c.subjectId}`,
      audience: this.config.JWT_AUDIENCE,
      issuer: this.config.JWT_ISSUER,
      expiresIn: this.config.ACCESS_TOKEN_TTL_S,
    });
  }

  /** The claims of a valid access token, or null for anything else (never throws). */
  verifyAccess(token: string): AccessClaims | null {
    const p = this.verify(token, this.config.JWT_AUDIENCE);
    const m = typeof p?.sub === 'string' ? SUBJECT.exec(p.sub) : null;
    if (!p || !m || typeof p.sid !== 'string' || p.sid.length === 0) return null;
    return { kind: m[1] as SubjectKind, subjectId: Number(m[2]), sessionId: p.sid };
  }

  issueFaceState(s: FaceVerifyState, ttlS: number): string {
    return jwt.sign({ ent: s.entityId, per: s.personId, vid: s.verifyId, seq: s.outSeqNo }, this.key, {
      algorithm: ALGORITHM,
      subject: `user:${s.userId}`,
      audience: this.faceAudience,
      issuer: this.config.JWT_ISSUER,
      expiresIn: ttlS,
    });
  }

  verifyFaceState(token: string): FaceVerifyState | null {
    const p = this.verify(token, this.faceAudience);
    const m = typeof p?.sub === 'string' ? SUBJECT.exec(p.sub) : null;
    if (!p || !m || m[1] !== 'user') return null;
    const { ent, per, vid, seq } = p as Record<string, unknown>;
    if (typeof ent !== 'number' || typeof per !== 'number' || typeof vid !== 'string' || typeof seq !== 'string')
      return null;
    return { userId: Number(m[2]), entityId: ent, personId: per, verifyId: vid, outSeqNo: seq };
  }

  private verify(token: string, audience: string): jwt.JwtPayload | null {
    try {
      const p = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        audience,
        issuer: this.config.JWT_ISSUER,
      });
      return typeof p === 'object' && p !== null && typeof p.exp === 'number' ? p : null;
    } catch {
      return null;
    }
  }
}
