import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError, ErrorCodes } from '@heihe/shared';

export const STAFF_ROLES = ['reviewer', 'admin', 'investment_officer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

/** `staff_account.role` as the domain's type; the accounts tools write only these. */
export function staffRole(role: string): StaffRole {
  if (!isStaffRole(role)) throw new Error(`staff_account.role ${role} is not a staff role`);
  return role;
}

/** Who is calling, as established by the AuthGuard. */
export type Principal =
  | { kind: 'user'; userId: number; sessionId: string; entityIds: number[] }
  | { kind: 'staff'; staffId: number; sessionId: string; role: StaffRole; username: string }
  | { kind: 'api_client'; clientId: number; name: string; scopes: string[] };

/** The caller of the current request; endpoints that are not public always have one. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const p = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (!p) throw new AppError(ErrorCodes.UNAUTHENTICATED, '请先登录');
  return p;
});

export function actorOf(p: Principal): { actorKind: 'user' | 'staff' | 'api_client'; actorId: string } {
  if (p.kind === 'user') return { actorKind: 'user', actorId: String(p.userId) };
  if (p.kind === 'staff') return { actorKind: 'staff', actorId: `${p.role}:${p.username}` };
  return { actorKind: 'api_client', actorId: `${p.clientId}:${p.name}` };
}

/**
 * Object-level check for anything that belongs to one enterprise: an enterprise user reaches only
 * the enterprises bound to them; staff reach all; an API client needs the named scope. Not found
 * and not yours answer alike, so IDs cannot be probed.
 */
export function assertEntityAccess(p: Principal, entityId: number, apiScope = 'evaluations:read'): void {
  if (p.kind === 'staff') return;
  if (p.kind === 'user' && p.entityIds.includes(entityId)) return;
  if (p.kind === 'api_client' && p.scopes.includes(apiScope)) return;
  throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问');
}
