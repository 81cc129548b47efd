/**
 * The `local` provider: tokens from `npm run cli -- tokens create` (see local-token-store.ts).
 * A token with the local prefix is this provider's to decide: valid → allow, revoked or
 * unknown → deny. Any other token passes to the next provider.
 */
import type { AuthDecision, AuthProvider } from './auth-chain.js';
import { makeIdentity } from './identity.js';
import type { LocalTokenStore } from './local-token-store.js';

export class LocalAuthProvider implements AuthProvider {
  readonly name = 'local';

  constructor(private readonly store: LocalTokenStore) {}

  async authenticate(token: string): Promise<AuthDecision> {
    const check = await this.store.check(token);
    switch (check.status) {
      case 'foreign':
        return { outcome: 'pass' };
      case 'unknown':
        return { outcome: 'deny', reason: 'The local token is not valid.' };
      case 'revoked':
        return { outcome: 'deny', reason: 'The local token has been revoked.' };
      case 'valid':
        return {
          outcome: 'allow',
          identity: makeIdentity({ name: check.record.username, orgs: check.record.orgs, provider: this.name, roles: check.record.roles }),
        };
    }
  }
}
