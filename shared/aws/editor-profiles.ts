// The editor's name for the desk's access tokens: Cognito's OpenID userInfo endpoint, on the managed login's domain,
// answers with the account's attributes for the access token itself (scopes openid + profile). No IAM grant: the
// token is the credential, and it can only read its own account.
import type { EditorProfiles } from '../ports.ts';

/** A rename (`admin-update-user-attributes … preferred_username`) reaches the desk within this long. */
export const PROFILE_CACHE_MS = 5 * 60_000;
const CACHE_LIMIT = 1000;

export function cognitoUserInfo(
  loginUrl: string,
  options: { readonly cacheMs?: number; readonly timeoutMs?: number } = {},
): EditorProfiles {
  const cacheMs = options.cacheMs ?? PROFILE_CACHE_MS;
  const endpoint = new URL('/oauth2/userInfo', loginUrl);
  const cache = new Map<string, { readonly name: string | undefined; readonly until: number }>();
  return {
    async displayName(accessToken, sub) {
      const now = Date.now();
      const cached = cache.get(sub);
      if (cached && cached.until > now) return cached.name;
      const response = await fetch(endpoint, {
        headers: { authorization: `Bearer ${accessToken}` },
        signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
      });
      if (!response.ok) throw new Error(`userInfo answered ${response.status}`);
      const body = (await response.json()) as { preferred_username?: unknown };
      const name = typeof body.preferred_username === 'string' ? body.preferred_username : undefined;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(sub, { name, until: now + cacheMs });
      return name;
    },
  };
}
