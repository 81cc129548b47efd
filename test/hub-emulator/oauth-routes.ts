/**
 * "Sign in with Hugging Face" endpoints, enough for @huggingface/hub's `oauthLoginUrl` /
 * `oauthHandleRedirect` and for a server-side authorization-code flow:
 *
 * - `GET /.well-known/openid-configuration`
 * - `GET /oauth/authorize`: auto-approves and redirects to `redirect_uri?code=…&state=…`. The user
 *   signed in is `login_hint` if given, else the emulator's OAuth user (`setOAuthUser`, default alice).
 * - `POST /oauth/token` (form): `grant_type=authorization_code`, `code`, `redirect_uri` (must match),
 *   `code_verifier` (checked against an S256 `code_challenge` when one was sent). Client secrets
 *   are accepted without checking (no client registry). No `id_token` is issued.
 * - `GET /oauth/userinfo` with the issued Bearer token.
 *
 * Issued tokens start with `hf_oauth_`, last 8 h, and work on `/api/whoami-v2` (auth.type "oauth").
 */
import { createHash } from 'node:crypto';
import type { RouteContext } from './emulator-state.js';
import { HttpError, readBody, sendJson } from './http-helpers.js';
import { randomHex, sha1Hex } from './repo-store.js';

const CODE_TTL_MS = 10 * 60 * 1000;
const TOKEN_TTL_SECONDS = 8 * 60 * 60;

export function handleOpenIdConfiguration(ctx: RouteContext): void {
  const o = ctx.origin;
  sendJson(ctx.res, 200, {
    issuer: o,
    authorization_endpoint: `${o}/oauth/authorize`,
    token_endpoint: `${o}/oauth/token`,
    userinfo_endpoint: `${o}/oauth/userinfo`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256', 'plain'],
    scopes_supported: ['openid', 'profile', 'email', 'read-repos', 'write-repos', 'manage-repos', 'inference-api'],
    subject_types_supported: ['public'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
  });
}

function oauthError(status: number, error: string, description: string): HttpError {
  // createApiError in @huggingface/hub renders "error: error_description".
  return new HttpError(status, error, undefined, { error_description: description });
}

export function handleAuthorize(ctx: RouteContext): void {
  const q = ctx.url.searchParams;
  const redirectUri = q.get('redirect_uri');
  const clientId = q.get('client_id');
  if (!clientId) throw oauthError(400, 'invalid_request', 'client_id is required');
  if (!redirectUri || !URL.canParse(redirectUri)) throw oauthError(400, 'invalid_request', 'redirect_uri is required');
  if (q.get('response_type') !== 'code') throw oauthError(400, 'unsupported_response_type', 'only "code" is supported');
  const method = q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : undefined);
  if (method && method !== 'S256' && method !== 'plain') {
    throw oauthError(400, 'invalid_request', 'code_challenge_method must be S256 or plain');
  }
  const userName = q.get('login_hint') ?? ctx.state.oauthUser ?? ctx.state.users.firstUser()?.name;
  const user = userName ? ctx.state.users.byName(userName) : undefined;
  if (!user) throw oauthError(400, 'access_denied', `emulator: no user "${userName ?? ''}" to sign in`);
  const code = randomHex(16);
  ctx.state.oauthCodes.set(code, {
    user: user.name,
    redirectUri,
    clientId,
    scope: q.get('scope') ?? 'openid profile',
    ...(q.get('code_challenge') ? { codeChallenge: q.get('code_challenge')!, codeChallengeMethod: method! } : {}),
    expiresAt: Date.now() + CODE_TTL_MS,
  });
  const target = new URL(redirectUri);
  target.searchParams.set('code', code);
  const state = q.get('state');
  if (state !== null) target.searchParams.set('state', state);
  ctx.res.writeHead(302, { Location: target.href, 'Content-Length': '0' });
  ctx.res.end();
}

export async function handleToken(ctx: RouteContext): Promise<void> {
  const raw = (await readBody(ctx.req, 64 * 1024)).toString('utf8');
  const isJson = (ctx.req.headers['content-type'] ?? '').includes('application/json');
  const form = isJson
    ? new URLSearchParams(Object.entries(JSON.parse(raw) as Record<string, string>))
    : new URLSearchParams(raw);
  if (form.get('grant_type') !== 'authorization_code') {
    throw oauthError(400, 'unsupported_grant_type', 'only authorization_code is supported');
  }
  const code = form.get('code') ?? '';
  const entry = ctx.state.oauthCodes.get(code);
  ctx.state.oauthCodes.delete(code); // single use, even when the exchange fails
  if (!entry || entry.expiresAt < Date.now()) throw oauthError(400, 'invalid_grant', 'unknown or expired code');
  if (form.get('redirect_uri') !== entry.redirectUri) {
    throw oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  }
  if (entry.codeChallenge) {
    const verifier = form.get('code_verifier') ?? '';
    const computed =
      entry.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    if (computed !== entry.codeChallenge) throw oauthError(400, 'invalid_grant', 'code_verifier does not match');
  }
  const user = ctx.state.users.byName(entry.user);
  if (!user) throw oauthError(400, 'invalid_grant', 'user no longer exists');
  const token = ctx.state.users.issueOAuthToken(user, entry.scope, TOKEN_TTL_SECONDS);
  sendJson(ctx.res, 200, {
    access_token: token.token,
    token_type: 'bearer',
    expires_in: TOKEN_TTL_SECONDS,
    scope: entry.scope,
  });
}

export function handleUserInfo(ctx: RouteContext): void {
  if (ctx.caller.kind !== 'user') throw new HttpError(401, 'Invalid or missing access token');
  const { user, scope } = ctx.caller.token;
  const scopes = (scope ?? 'openid profile email').split(/\s+/);
  sendJson(ctx.res, 200, {
    sub: user.id,
    name: user.fullname,
    preferred_username: user.name,
    profile: `${ctx.origin}/${user.name}`,
    picture: user.avatarUrl,
    ...(scopes.includes('email') ? { email: user.email, email_verified: true } : {}),
    isPro: false,
    canPay: false,
    orgs: user.orgs.map((org) => ({
      sub: sha1Hex(`org:${org}`).slice(0, 24),
      name: org,
      preferred_username: org,
      picture: `https://emulated.invalid/avatars/${org}.png`,
      isEnterprise: false,
      roleInOrg: 'write',
    })),
  });
}
