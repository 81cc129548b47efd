/** Mutable state shared by the emulator's route modules, and the per-request context. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller, UserRegistry } from './auth.js';
import type { RepoStore, RepoType } from './repo-store.js';

export interface OAuthCode {
  user: string;
  redirectUri: string;
  clientId: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

export interface EmulatorState {
  store: RepoStore;
  users: UserRegistry;
  treePageSize: number;
  /** Signs LFS upload hrefs (the client sends no Authorization on the PUT). */
  lfsSecret: Buffer;
  oauthUser: string | undefined;
  oauthCodes: Map<string, OAuthCode>;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Decoded path segments (no leading empty segment). */
  segments: string[];
  caller: Caller;
  /** e.g. `http://127.0.0.1:54321`, from the Host header. */
  origin: string;
  state: EmulatorState;
}

/** URL prefix of repo pages and files: "" for models, "datasets/" for datasets. */
export function repoPrefix(type: RepoType): string {
  return type === 'dataset' ? 'datasets/' : '';
}
