/**
 * `tokens`: local Bearer tokens (the `local` auth provider). Only the SHA-256 of a token is
 * stored, in DATA_DIR/auth/tokens.json; the token itself is shown once, as the last line of
 * `tokens create`, so scripts can take it with `| tail -n 1`.
 */
import { loadConfig } from '../config.js';
import { ADMIN_ROLE } from '../features/auth/identity.js';
import { LocalTokenStore, ROLE_PATTERN, TokenStoreError, USERNAME_PATTERN } from '../features/auth/local-token-store.js';
import { parseCommandArgs, UsageError, type CliCommand, type CliIo } from './command.js';

const USAGE = `Usage: leaderboard tokens <create|revoke|list> …

  tokens create <username> [--admin] [--role ROLE]… [--org ORG]…
      Creates a local token for <username> and prints it as the last line (shown only once).
      --admin      give the admin role (operator endpoints)
      --role ROLE  give a role, e.g. --role worker (repeatable)
      --org ORG    the user belongs to organisation ORG (repeatable)
  tokens revoke <username>
      Revokes every token of <username>; takes effect on the server's next request.
  tokens list
      Lists token records (user, roles, created, revoked) — never the tokens.

Tokens live in DATA_DIR/auth/tokens.json (hashes only). The server accepts them when
AUTH_PROVIDERS includes \`local\` (the default).`;

function storeFor(io: CliIo): LocalTokenStore {
  return LocalTokenStore.forDataDir(loadConfig(io.env).dataDir);
}

function parse(argv: string[]) {
  return parseCommandArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      admin: { type: 'boolean', default: false },
      role: { type: 'string', multiple: true, default: [] },
      org: { type: 'string', multiple: true, default: [] },
    },
  });
}

function username(positionals: string[]): string {
  const [name, ...extra] = positionals;
  if (!name) throw new UsageError('A <username> is required.');
  if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);
  if (!USERNAME_PATTERN.test(name)) throw new UsageError(`Invalid user name ${JSON.stringify(name)}: letters, digits, '.', '_' and '-', at most 96.`);
  return name;
}

export const tokensCommand: CliCommand = {
  name: 'tokens',
  summary: 'Create, revoke and list local Bearer tokens',
  usage: USAGE,
  async run(argv, io) {
    const [action, ...rest] = argv;
    const { values, positionals } = parse(rest);
    try {
      switch (action) {
        case 'create': {
          const user = username(positionals);
          const roles = [...(values.role ?? []), ...(values.admin ? [ADMIN_ROLE] : [])];
          for (const role of roles) if (!ROLE_PATTERN.test(role)) throw new UsageError(`Invalid role ${JSON.stringify(role)}.`);
          const store = storeFor(io);
          const { token, record } = await store.create(user, { roles, orgs: values.org ?? [] });
          io.err(`Created a local token for ${user}${record.roles.length ? ` (roles: ${record.roles.join(', ')})` : ''}. It is shown only once; keep it secret.`);
          io.out(token);
          return 0;
        }
        case 'revoke': {
          if (values.admin || values.role?.length || values.org?.length) throw new UsageError('revoke takes only a <username>.');
          const user = username(positionals);
          const count = await storeFor(io).revoke(user);
          io.out(count > 0 ? `Revoked ${count} token${count === 1 ? '' : 's'} of ${user}.` : `${user} has no live token.`);
          return count > 0 ? 0 : 1;
        }
        case 'list': {
          if (positionals.length > 0) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`);
          const records = await storeFor(io).list();
          if (records.length === 0) io.out('No local tokens.');
          for (const r of records) {
            io.out(
              `${r.username.padEnd(24)} id=${r.id} roles=${r.roles.join(',') || '-'} orgs=${r.orgs.join(',') || '-'} created=${r.created_at}${r.revoked_at ? ` revoked=${r.revoked_at}` : ''}`,
            );
          }
          return 0;
        }
        default:
          throw new UsageError(action ? `Unknown action "${action}".` : 'An action is required: create, revoke or list.');
      }
    } catch (error) {
      if (error instanceof TokenStoreError) {
        io.err(error.message);
        return 1;
      }
      throw error;
    }
  },
};
