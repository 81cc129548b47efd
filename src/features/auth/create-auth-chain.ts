/** Builds the provider chain named by AUTH_PROVIDERS. */
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { AuthChain, type AuthProvider } from './auth-chain.js';
import { HubAuthProvider } from './hub-provider.js';
import { LocalAuthProvider } from './local-provider.js';
import { LOCAL_TOKEN_PREFIX, LocalTokenStore } from './local-token-store.js';

export interface AuthChainDeps {
  logger: Logger;
  /** The fetch used for the Hub's whoami (tests may pass their own). */
  fetch?: typeof fetch;
  tokenStore?: LocalTokenStore;
}

export function createAuthChain(
  config: Pick<Config, 'authProviders' | 'hubUrl' | 'authCacheTtl' | 'authHubTimeout' | 'adminUsers' | 'dataDir'>,
  deps: AuthChainDeps,
): AuthChain {
  const providers: AuthProvider[] = config.authProviders.map((name) => {
    switch (name) {
      case 'hub':
        return new HubAuthProvider({
          hubUrl: config.hubUrl,
          logger: deps.logger,
          timeoutMs: config.authHubTimeout * 1000,
          validTtlMs: config.authCacheTtl * 1000,
          adminUsers: config.adminUsers,
          foreignPrefixes: [LOCAL_TOKEN_PREFIX],
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        });
      case 'local':
        return new LocalAuthProvider(deps.tokenStore ?? LocalTokenStore.forDataDir(config.dataDir));
    }
  });
  return new AuthChain(providers);
}
