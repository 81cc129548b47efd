/** Shapes of the API the UI reads (see the server's OpenAPI document at /docs). */

export const MODEL_TYPES = ['pretrained', 'continuously pretrained', 'fine-tuned', 'chat', 'merge', 'multimodal', 'other'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/** Types offered in the submission form (`other` is not submittable). */
export const SUBMIT_MODEL_TYPES = ['pretrained', 'continuously pretrained', 'fine-tuned', 'chat', 'merge', 'multimodal'] as const;
export const SUBMIT_PRECISIONS = ['float16', 'bfloat16', '8bit', '4bit', 'GPTQ'] as const;
export const WEIGHT_TYPES = ['Original', 'Delta', 'Adapter'] as const;

export interface Evaluation {
  name: string;
  /** Raw score, 0–1. */
  value: number | null;
  /** Normalized score, 0–100. */
  normalized_score: number | null;
}

export interface FormattedItem {
  id: string;
  model: {
    name: string | null;
    sha: string | null;
    precision: string | null;
    type: ModelType;
    weight_type: string | null;
    architecture: string | null;
    average_score: number | null;
    has_chat_template: boolean;
  };
  evaluations: Record<string, Evaluation>;
  features: {
    is_not_available_on_hub: boolean;
    is_merged: boolean;
    is_moe: boolean;
    is_flagged: boolean;
    is_official_provider: boolean;
  };
  metadata: {
    upload_date: string | null;
    submission_date: string | null;
    generation: string | null;
    base_model: string | null;
    hub_license: string | null;
    hub_hearts: number | null;
    params_billions: number | null;
    co2_cost: number | null;
  };
  rank: number;
}

export interface FormattedLeaderboard {
  models: FormattedItem[];
}

export interface UiLink {
  label: string;
  url: string;
}

export interface UiTranslation {
  title?: string;
  subtitle?: string;
  about_markdown?: string;
  links?: UiLink[];
}

export interface OAuthConfig {
  enabled: boolean;
  client_id: string | null;
  provider_url: string;
  scopes: string;
  authorize_url?: string | null;
}

export interface UiConfig {
  title: string;
  subtitle: string;
  logo_url: string | null;
  links: UiLink[];
  about_markdown: string;
  default_language: string;
  languages: string[];
  translations?: Record<string, UiTranslation>;
  benchmarks: { key: string; name: string; raw_column: string; normalized_column: string; description?: string | null }[];
  hub_url?: string;
  oauth: OAuthConfig;
}

export interface Me {
  name: string;
  orgs: string[];
  provider: string;
  admin: boolean;
}

export interface ModelVotes {
  total_votes: number;
  up_votes: number;
  down_votes: number;
  votes_by_revision?: Record<string, number>;
}

export type VoteType = 'up' | 'down';

export interface UserVote {
  model_id: string;
  vote_type: VoteType;
  timestamp: string;
  model?: string;
  revision?: string;
  precision?: string;
}

export interface QueueItem {
  name: string;
  submitter?: string | null;
  revision?: string | null;
  /** Seconds (a number, or a text such as "3600.5s"). */
  wait_time?: string | number | null;
  /** The same, for people: "2d 3h". */
  wait_time_human?: string | null;
  submission_time?: string | null;
  status?: string;
  precision?: string | null;
  model_type?: string | null;
  weight_type?: string | null;
  params?: number | null;
  votes?: number | null;
  reason?: string | null;
}

export interface QueueStatus {
  pending: QueueItem[];
  evaluating: QueueItem[];
  finished: QueueItem[];
  failed: QueueItem[];
}

export interface ModelRequest {
  status: string;
  precision?: string | null;
  submission_time?: string | null;
  submitted_time?: string | null;
  job_id?: string | number | null;
  queue_position?: number | null;
  revision?: string | null;
  weight_type?: string | null;
  reason?: string | null;
}

export interface ModelStatus {
  requests: ModelRequest[];
  [extra: string]: unknown;
}

export interface SubmitBody {
  model_id: string;
  base_model?: string;
  precision?: string;
  model_type: string;
  revision?: string;
  weight_type?: string;
  use_chat_template?: boolean;
}

export interface SubmitResult {
  status: string;
  message: string;
}
