/**
 * Who made a request: kube's user.Info. Authentication fills it in; authorization,
 * admission and audit read it (as `request.user` on every Fastify request).
 */

export interface UserInfo {
  /** e.g. "admin", "system:node:k8ts-node-1", "system:anonymous" */
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Added to every user who presented valid credentials (kube's AuthenticatedGroupAdder). */
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';

export const anonymousUser = (): UserInfo => ({ name: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] });

/** The user of an API server built without authentication (in-process tests only). */
export const unsecuredUser = (): UserInfo => ({ name: 'system:unsecured', groups: ['system:masters', AUTHENTICATED_GROUP] });

export const isAnonymous = (user: UserInfo): boolean => user.name === ANONYMOUS_USER || user.groups.includes(UNAUTHENTICATED_GROUP);

/** The user as authenticators return it, plus system:authenticated (once). */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(AUTHENTICATED_GROUP) ? user : { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}
