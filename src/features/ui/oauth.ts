/**
 * "Sign in with Hugging Face": OAuth 2.0 authorization code flow with PKCE.
 *
 * The browser makes the verifier and the challenge, redirects to the provider's authorize
 * endpoint and comes back to `/auth/callback` with a code. The code is exchanged here, on the
 * server (`POST /api/auth/oauth/token`), not by the browser: the page's CSP only lets it talk
 * to its own origin and https hosts, a provider need not send CORS headers, and a confidential
 * client's secret must stay on the server. The server adds the secret when one is configured
 * and never keeps the token: it returns it, and the browser sends it back as its Bearer.
 */
import { AppError } from '../../http/errors.js';
import type { Logger } from '../../logging.js';

export interface OAuthSettings {
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Issuer base URL (OPENID_PROVIDER_URL, else HUB_URL), without trailing slash. */
  providerUrl: string;
  scopes: string;
}

export interface OAuthEndpoints {
  authorization_endpoint: string;
  token_endpoint: string;
}

/** What the browser needs to start the flow. */
export interface PublicOAuthConfig {
  enabled: boolean;
  client_id: string | null;
  provider_url: string;
  scopes: string;
  authorize_url: string | null;
  /** Always `server`: the code is exchanged through POST /api/auth/oauth/token. */
  token_exchange: 'server';
}

export interface TokenExchangeRequest {
  code: string;
  code_verifier: string;
  redirect_uri: string;
}

export interface TokenExchangeResponse {
  access_token: string;
  token_type: string;
  expires_in: number | null;
  scope: string | null;
}

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

export class OAuthClient {
  private discovered: { at: number; endpoints: OAuthEndpoints } | undefined;

  constructor(
    private readonly settings: OAuthSettings,
    private readonly logger: Logger,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get enabled(): boolean {
    return Boolean(this.settings.clientId);
  }

  /** `{provider}/.well-known/openid-configuration`, cached an hour; the Hub's paths if it fails. */
  async endpoints(): Promise<OAuthEndpoints> {
    const now = Date.now();
    if (this.discovered && now - this.discovered.at < DISCOVERY_TTL_MS) return this.discovered.endpoints;
    const base = this.settings.providerUrl;
    const fallback: OAuthEndpoints = { authorization_endpoint: `${base}/oauth/authorize`, token_endpoint: `${base}/oauth/token` };
    try {
      const response = await this.fetchImpl(`${base}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as Partial<OAuthEndpoints>;
      if (typeof body.authorization_endpoint !== 'string' || typeof body.token_endpoint !== 'string') {
        throw new Error('authorization_endpoint or token_endpoint missing');
      }
      const endpoints = { authorization_endpoint: body.authorization_endpoint, token_endpoint: body.token_endpoint };
      this.discovered = { at: now, endpoints };
      return endpoints;
    } catch (error) {
      this.logger.warn({ provider: base, err: (error as Error).message }, 'OpenID discovery failed; using the default OAuth paths');
      return fallback;
    }
  }

  async publicConfig(): Promise<PublicOAuthConfig> {
    const { clientId, providerUrl, scopes } = this.settings;
    return {
      enabled: this.enabled,
      client_id: clientId ?? null,
      provider_url: providerUrl,
      scopes,
      authorize_url: this.enabled ? (await this.endpoints()).authorization_endpoint : null,
      token_exchange: 'server',
    };
  }

  /** Exchanges an authorization code (with its PKCE verifier) for an access token. */
  async exchange(request: TokenExchangeRequest): Promise<TokenExchangeResponse> {
    const { clientId, clientSecret } = this.settings;
    if (!clientId) throw new AppError('NOT_FOUND', 'Sign-in with OAuth is not configured on this server (OAUTH_CLIENT_ID is not set).');
    const { token_endpoint } = await this.endpoints();
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: request.code,
      code_verifier: request.code_verifier,
      redirect_uri: request.redirect_uri,
      client_id: clientId,
    });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (clientSecret) {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
    }
    let response: Response;
    try {
      response = await this.fetchImpl(token_endpoint, { method: 'POST', headers, body: form, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'OAuth token endpoint unreachable');
      throw new AppError('HUB_UNAVAILABLE', 'The sign-in provider cannot be reached; try again in a moment.');
    }
    let body: Record<string, unknown> = {};
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      // A non-JSON answer is handled below like any other failure.
    }
    if (!response.ok || typeof body.access_token !== 'string') {
      const reason = typeof body.error_description === 'string' ? body.error_description : typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      this.logger.info({ status: response.status, reason }, 'OAuth code exchange refused');
      if (response.status >= 500) throw new AppError('HUB_UNAVAILABLE', `The sign-in provider failed (${reason}); try again.`);
      throw new AppError('BAD_REQUEST', `The sign-in provider refused the authorization code: ${reason}. Start the sign-in again.`);
    }
    return {
      access_token: body.access_token,
      token_type: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
      expires_in: typeof body.expires_in === 'number' ? body.expires_in : null,
      scope: typeof body.scope === 'string' ? body.scope : null,
    };
  }
}
