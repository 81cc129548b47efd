/** TypeBox schemas of the auth API. */
import { Type } from 'typebox';

export const identitySchema = Type.Object(
  {
    name: Type.String({ description: 'The verified user name (Hub `name`, or the local token\'s user)' }),
    orgs: Type.Array(Type.String(), { description: 'Organisations of the user' }),
    provider: Type.String({ description: 'Which provider verified the token: `hub` or `local`', examples: ['hub'] }),
    admin: Type.Boolean({ description: 'Whether the identity has the admin role' }),
    roles: Type.Array(Type.String(), { description: 'Roles of the identity (`admin`, `worker`, …)' }),
  },
  {
    description: 'The identity of the Bearer token',
    examples: [{ name: 'alice', orgs: ['acme-research'], provider: 'hub', admin: false, roles: [] }],
  },
);
