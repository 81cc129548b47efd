/**
 * "Sign in with Hugging Face": the authorization code flow with PKCE (RFC 7636). The browser
 * makes the verifier and state, goes to the provider, and on `/auth/callback` hands the code
 * and verifier to the server, which exchanges them (POST /api/auth/oauth/token).
 */
import { api } from '../api/client.js';
import type { OAuthConfig } from '../api/types.js';
import { STORAGE_KEYS } from '../lib/storage.js';
import { sha256 } from './sha256.js';

interface PendingFlow {
  state: string;
  verifier: string;
  returnTo: string;
  redirectUri: string;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challengeOf(verifier: string): Promise<string> {
  const data = new TextEncoder().encode(verifier);
  // crypto.subtle exists only in secure contexts (https, localhost); elsewhere, our own SHA-256.
  const digest = crypto.subtle ? new Uint8Array(await crypto.subtle.digest('SHA-256', data)) : sha256(data);
  return base64Url(digest);
}

export function callbackUri(): string {
  return `${window.location.origin}/auth/callback`;
}

/** Leaves the page for the provider's consent screen. */
export async function startOAuth(config: OAuthConfig, returnTo: string): Promise<void> {
  const fresh = await api<OAuthConfig>('/api/auth/oauth/config').catch(() => config);
  const authorizeUrl = fresh.authorize_url ?? `${fresh.provider_url.replace(/\/+$/, '')}/oauth/authorize`;
  if (!fresh.enabled || !fresh.client_id) throw new Error('OAuth is not configured on this server.');
  const flow: PendingFlow = { state: randomString(16), verifier: randomString(48), returnTo, redirectUri: callbackUri() };
  sessionStorage.setItem(STORAGE_KEYS.oauthFlow, JSON.stringify(flow));
  const url = new URL(authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', fresh.client_id);
  url.searchParams.set('redirect_uri', flow.redirectUri);
  url.searchParams.set('scope', fresh.scopes);
  url.searchParams.set('state', flow.state);
  url.searchParams.set('code_challenge', await challengeOf(flow.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.toString());
}

export class OAuthCallbackError extends Error {}

/** Completes the flow on `/auth/callback`: checks the state, exchanges the code. */
export async function finishOAuth(params: URLSearchParams): Promise<{ token: string; returnTo: string }> {
  const error = params.get('error');
  if (error) throw new OAuthCallbackError(params.get('error_description') ?? error);
  const raw = sessionStorage.getItem(STORAGE_KEYS.oauthFlow);
  sessionStorage.removeItem(STORAGE_KEYS.oauthFlow);
  if (!raw) throw new OAuthCallbackError('No sign-in was started from this browser tab.');
  const flow = JSON.parse(raw) as PendingFlow;
  const code = params.get('code');
  if (!code) throw new OAuthCallbackError('The provider returned no authorization code.');
  if (params.get('state') !== flow.state) throw new OAuthCallbackError('The sign-in state does not match; start again.');
  const result = await api<{ access_token: string }>('/api/auth/oauth/token', {
    method: 'POST',
    body: { code, code_verifier: flow.verifier, redirect_uri: flow.redirectUri },
  });
  return { token: result.access_token, returnTo: flow.returnTo.startsWith('/') ? flow.returnTo : '/' };
}
