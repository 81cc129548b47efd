/** TanStack Query hooks, one per API read; the leaderboard is fetched once and shared. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { getToken, subscribeToken } from '../auth/token-store.js';
import { toLeaderboardData, type LeaderboardData } from '../leaderboard/model-row.js';
import { api, ApiError } from './client.js';
import type {
  FormattedLeaderboard,
  Me,
  ModelStatus,
  ModelVotes,
  QueueItem,
  QueueStatus,
  SubmitBody,
  SubmitResult,
  UiConfig,
  UserVote,
  VoteType,
} from './types.js';

export const DEFAULT_UI_CONFIG: UiConfig = {
  title: 'Open LLM Leaderboard',
  subtitle: '',
  logo_url: null,
  links: [],
  about_markdown: '',
  default_language: 'en',
  languages: [],
  benchmarks: [],
  hub_url: 'https://huggingface.co',
  oauth: { enabled: false, client_id: null, provider_url: 'https://huggingface.co', scopes: 'openid profile' },
};

/** `org/name` as a path: each part encoded, the slash kept. */
export function modelPath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

export function useUiConfig() {
  return useQuery({
    queryKey: ['ui-config'],
    queryFn: async ({ signal }) => {
      try {
        return await api<UiConfig>('/api/config/ui', { signal });
      } catch (error) {
        // A server without the UI config route still gets a working UI.
        if (error instanceof ApiError && error.isMissingRoute) return DEFAULT_UI_CONFIG;
        throw error;
      }
    },
    staleTime: Infinity,
  });
}

const selectLeaderboard = (data: FormattedLeaderboard): LeaderboardData => toLeaderboardData(data.models ?? []);

export function useLeaderboard() {
  return useQuery({
    queryKey: ['leaderboard'],
    queryFn: ({ signal }) => api<FormattedLeaderboard>('/api/leaderboard/formatted', { signal }),
    select: selectLeaderboard,
    staleTime: 5 * 60_000,
    // 503 while the server loads its datasets: keep trying.
    retry: (count, error) => (error instanceof ApiError && error.status === 503 ? count < 30 : count < 2),
    retryDelay: (count) => Math.min(1000 * 2 ** count, 5000),
  });
}

export function useToken(): string | null {
  return useSyncExternalStore(subscribeToken, getToken);
}

export function useMe() {
  const token = useToken();
  return useQuery({
    queryKey: ['me', token],
    queryFn: ({ signal }) => api<Me>('/api/auth/me', { auth: true, signal }),
    enabled: token !== null,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useModelVotes(name: string) {
  return useQuery({
    queryKey: ['votes', 'model', name],
    queryFn: ({ signal }) => api<ModelVotes>(`/api/votes/model/${modelPath(name)}`, { signal }),
  });
}

/** The model's evaluation requests; null when the server has none (404 `not_found`). */
export function useModelStatus(name: string) {
  return useQuery({
    queryKey: ['status', name],
    queryFn: async ({ signal }) => {
      try {
        return await api<ModelStatus>(`/api/models/${modelPath(name)}/status`, { signal });
      } catch (error) {
        if (error instanceof ApiError && error.isNotFound && !error.isMissingRoute) return null;
        throw error;
      }
    },
  });
}

export function useQueue() {
  return useQuery({
    queryKey: ['queue'],
    queryFn: ({ signal }) => api<QueueStatus>('/api/models/status', { signal }),
    refetchInterval: 60_000,
  });
}

export function usePending() {
  return useQuery({
    queryKey: ['pending'],
    queryFn: ({ signal }) => api<QueueItem[]>('/api/models/pending', { auth: true, signal }),
  });
}

export function useUserVotes(user: string | undefined) {
  return useQuery({
    queryKey: ['votes', 'user', user],
    queryFn: ({ signal }) => api<UserVote[]>(`/api/votes/user/${encodeURIComponent(user ?? '')}`, { auth: true, signal }),
    enabled: user !== undefined,
  });
}

export interface VoteInput {
  model: string;
  vote: VoteType | null;
  revision?: string | null;
  precision?: string | null;
}

/** Casts a vote, or retracts it when `vote` is null. */
export function useVote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ model, vote, revision, precision }: VoteInput) =>
      api<{ success?: boolean; message?: string }>(`/api/votes/${modelPath(model)}`, {
        method: vote === null ? 'DELETE' : 'POST',
        auth: true,
        // The vote is about this request's revision and precision.
        body: { ...(vote === null ? {} : { vote_type: vote }), ...(revision ? { revision } : {}), ...(precision ? { precision } : {}) },
      }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['votes'] });
      void client.invalidateQueries({ queryKey: ['pending'] });
      void client.invalidateQueries({ queryKey: ['queue'] });
    },
  });
}

export function useSubmit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SubmitBody) => api<SubmitResult>('/api/models/submit', { method: 'POST', auth: true, body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['queue'] });
      void client.invalidateQueries({ queryKey: ['pending'] });
    },
  });
}
