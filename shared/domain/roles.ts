// Who may do what on the desk: the Cognito groups an editor belongs to, and the site's sign-off mode.
import { forbidden } from './errors.ts';

export { forbidden };

export const EDITORS_GROUP = 'editors';
export const CHIEF_EDITORS_GROUP = 'chief-editors';
export const editorGroups = [EDITORS_GROUP, CHIEF_EDITORS_GROUP] as const;
export type EditorGroup = (typeof editorGroups)[number];

/**
 * The desk's OAuth scope, defined by a resource server on the user pool: the API's JWT authorizer accepts only access
 * tokens that carry it, so an ID token, or a token of the pool issued for anything else, opens no desk route.
 */
export const DESK_RESOURCE_SERVER = 'newsroom';
export const DESK_SCOPE_NAME = 'desk';
export const DESK_SCOPE = `${DESK_RESOURCE_SERVER}/${DESK_SCOPE_NAME}`;
/** What the desk asks the managed login for: the desk scope, and OpenID + profile for the editor's name (userInfo). */
export const DESK_LOGIN_SCOPES = ['openid', 'profile', DESK_SCOPE] as const;

/** `single`: any editor publishes. `two-step`: an editor approves (初审), a chief editor publishes (终审). */
export type SignOff = 'single' | 'two-step';
export const signOffModes: readonly SignOff[] = ['single', 'two-step'];
export const isSignOff = (value: string): value is SignOff =>
  (signOffModes as readonly string[]).includes(value);

/**
 * The groups claim as it arrives: a JSON array in the token itself, or the string API Gateway's JWT authorizer makes
 * of an array claim, `[editors chief-editors]` (bracketed, space separated); a lone group name is a group too.
 */
export function parseGroups(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string') return [];
  const inner = claim.trim().replace(/^\[/, '').replace(/\]$/, '');
  return inner.split(/[\s,]+/).filter(Boolean);
}

/** Every desk route needs one of the two groups: a signed-in user of the pool without one is no editor. */
export function requireEditor(groups: readonly string[]): void {
  if (!groups.some((g) => (editorGroups as readonly string[]).includes(g)))
    throw forbidden(
      `Only members of the "${EDITORS_GROUP}" or "${CHIEF_EDITORS_GROUP}" group may use the desk.`,
    );
}

export const isChiefEditor = (groups: readonly string[]): boolean => groups.includes(CHIEF_EDITORS_GROUP);
