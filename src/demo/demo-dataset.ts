/**
 * The deterministic demo dataset: a plausible synthetic leaderboard (contents, requests, votes,
 * official providers) written through the storage port, one commit per dataset.
 *
 * Distributions follow the real board of February 2025 (types, precisions, architectures,
 * licenses, flags, hearts, generations, missing values). Scores are generated per benchmark
 * source (subtask or metric) around and above each source's random baseline, then turned into
 * raw/normalized columns with `scoreBenchmark` and `averageScore`, so the demo obeys the real
 * normalization rules exactly, for any configured benchmarks. Same seed and `now`, same bytes.
 */
import {
  CONTENTS_PARQUET_PATH,
  encodeContentsParquet,
  HIGHLIGHT_COLUMN,
  leaderboardColumns,
  modelAnchorHtml,
  TYPE_EMOJI_COLUMN,
  type ColumnSpec,
  type ContentsRecord,
} from '../datasets/contents-table.js';
import { encodeOfficialProviders, OFFICIAL_PROVIDERS_PATH } from '../datasets/official-providers.js';
import { encodeRequestFile, formatUtcSeconds, requestFilePath, type EvalRequest } from '../datasets/request-file.js';
import { encodeVoteLines, VOTES_FILE_PATH, type VoteRecord } from '../datasets/vote-record.js';
import { DEFAULT_BENCHMARKS, higherBound, lowerBound, type BenchmarkDefinition } from '../scoring/benchmarks.js';
import { averageScore, co2CostKg, scoreBenchmark } from '../scoring/normalize.js';
import type { CommitOperation, DatasetName, DatasetRepo } from '../storage/dataset-repo.js';
import { FAMILIES, FLAIR, LICENSES, NAME_SUFFIXES, organizationName, sizeLabel, userName, type ModelFamily } from './demo-names.js';
import { SeededRandom, WeightedChoice } from './seeded-random.js';

export interface DemoOptions {
  /** Distinct models on the board (default 600); about 2% also appear in a second precision. */
  models?: number;
  /** Vote rows, exactly (default 300). */
  votes?: number;
  /**
   * Queue request files besides the FINISHED file of every board row: 75% PENDING, 12.5%
   * RUNNING, the rest FAILED (default 40 → 30 / 5 / 5).
   */
  requests?: number;
  /** PRNG seed (default 42). */
  seed?: number;
  benchmarks?: readonly BenchmarkDefinition[];
  /** The moment the dataset is generated at; every date is relative to it (default: now). */
  now?: Date;
  /** Organization of the details datasets linked from `Model` (default open-llm-leaderboard). */
  organization?: string;
}

export interface DemoSummary {
  /** Distinct models on the board. */
  models: number;
  /** Contents rows (a model in two precisions is two rows). */
  rows: number;
  requests: { pending: number; running: number; finished: number; failed: number };
  votes: number;
  officialProviders: number;
}

export const DEMO_DEFAULTS = { models: 600, votes: 300, requests: 40, seed: 42, organization: 'open-llm-leaderboard' } as const;


/** The contents columns the demo writes: the leaderboard columns with `T` after `Type`. */
export function demoContentsColumns(benchmarks: readonly BenchmarkDefinition[]): ColumnSpec[] {
  const columns = leaderboardColumns(benchmarks);
  const at = columns.findIndex((column) => column.name === 'Type');
  columns.splice(at + 1, 0, TYPE_EMOJI_COLUMN);
  return columns;
}

// ---------------------------------------------------------------------------------------------
// Model types and their habits, weighted as on the real board.

interface TypeInfo {
  label: string;
  /** The submission form's model type, written in request files. */
  short: string;
  weight: number;
  /** Chance that a model of this type comes from an official provider. */
  official: number;
  chatTemplate: number;
  merged: number;
  /** Weights of generations 0, 1, 2, … */
  generations: readonly number[];
  skillBonus: number;
}

const TYPES: readonly TypeInfo[] = [
  { label: '🟢 pretrained', short: 'pretrained', weight: 232, official: 0.55, chatTemplate: 0.06, merged: 0.02, generations: [188, 25, 4, 3, 3], skillBonus: -0.04 },
  { label: '🟩 continuously pretrained', short: 'continuously pretrained', weight: 48, official: 0.3, chatTemplate: 0.4, merged: 0.04, generations: [21, 19, 4, 4], skillBonus: 0 },
  { label: '🔶 fine-tuned on domain-specific datasets', short: 'fine-tuned', weight: 1484, official: 0.05, chatTemplate: 0.51, merged: 0.057, generations: [616, 610, 192, 45, 14, 3, 1, 1, 1], skillBonus: 0.02 },
  { label: '💬 chat models (RLHF, DPO, IFT, ...)', short: 'chat', weight: 697, official: 0.25, chatTemplate: 0.94, merged: 0.026, generations: [326, 289, 64, 13, 2, 2, 1], skillBonus: 0.04 },
  { label: '🤝 base merges and moerges', short: 'merge', weight: 1357, official: 0.01, chatTemplate: 0.37, merged: 0.36, generations: [367, 989, 1], skillBonus: 0.06 },
  { label: '🌸 multimodal', short: 'multimodal', weight: 7, official: 0.4, chatTemplate: 0.43, merged: 0, generations: [0, 4, 3], skillBonus: -0.03 },
  { label: '❓ other', short: 'other', weight: 2, official: 0, chatTemplate: 0, merged: 0, generations: [1, 1], skillBonus: -0.1 },
];

const PRECISIONS: readonly (readonly [string, number])[] = [
  ['bfloat16', 0.75],
  ['float16', 0.243],
  ['4bit', 0.003],
  ['8bit', 0.002],
  ['GPTQ', 0.002],
];
const WEIGHT_TYPES: readonly (readonly [string, number])[] = [
  ['Original', 0.983],
  ['Adapter', 0.016],
  ['Delta', 0.001],
];

// ---------------------------------------------------------------------------------------------
// Score generation: each benchmark source gets a value between a floor and a ceiling expressed
// as fractions of the range above its random baseline, shaped by the model's skill.

interface TaskProfile {
  /** Floor and ceiling as fractions of the range from the baseline (lower bound) to the best
   * value (higher bound, usually 1); a negative floor lets
   * weak models fall under the baseline (normalized to 0), as real ones do. */
  low: number;
  high: number;
  exponent: number;
  noise: number;
  /** Number of questions: values are multiples of 1/samples, like real accuracies. */
  samples: number;
  /** Instruction following depends on chat tuning. */
  instructionSensitive?: boolean;
}

const TASK_PROFILES: readonly (readonly [RegExp, TaskProfile])[] = [
  [/ifeval.*prompt_level/, { low: 0.05, high: 0.8, exponent: 0.9, noise: 0.05, samples: 541, instructionSensitive: true }],
  [/ifeval.*inst_level/, { low: 0.15, high: 0.87, exponent: 0.9, noise: 0.04, samples: 834, instructionSensitive: true }],
  [/bbh/, { low: -0.05, high: 0.82, exponent: 1.4, noise: 0.05, samples: 250 }],
  [/math/, { low: 0, high: 0.55, exponent: 2.6, noise: 0.02, samples: 1324 }],
  [/gpqa/, { low: -0.04, high: 0.27, exponent: 1.6, noise: 0.025, samples: 1192 }],
  [/musr/, { low: -0.05, high: 0.36, exponent: 1.0, noise: 0.05, samples: 250 }],
  [/mmlu_pro/, { low: 0, high: 0.71, exponent: 1.4, noise: 0.015, samples: 12032 }],
];
const DEFAULT_PROFILE: TaskProfile = { low: 0, high: 0.8, exponent: 1.3, noise: 0.04, samples: 1000 };

function profileOf(task: string, metric: string): TaskProfile {
  const key = `${task} ${metric}`;
  return TASK_PROFILES.find(([pattern]) => pattern.test(key))?.[1] ?? DEFAULT_PROFILE;
}

function clamp(value: number, min = 0, max = 1): number {
  return Math.min(max, Math.max(min, value));
}

// ---------------------------------------------------------------------------------------------

interface ModelSpec {
  org: string;
  fullname: string;
  type: TypeInfo;
  family: ModelFamily;
  architecture: string;
  params: number;
  precision: string;
  weightType: string;
  generation: number;
  baseModel: string | null;
  chatTemplate: boolean;
  merged: boolean;
  moe: boolean;
  sha: string;
  sender: string;
}

interface BoardRow {
  model: ModelSpec;
  precision: string;
  record: ContentsRecord;
  /** Submission time of its FINISHED request. */
  submitted: Date;
}

interface QueueEntry {
  model: ModelSpec;
  status: 'PENDING' | 'RUNNING' | 'FAILED';
  submitted: Date;
  jobStart: Date | null;
  jobId: number;
}

const DAY = 86_400_000;

class DemoGenerator {
  readonly benchmarks: readonly BenchmarkDefinition[];
  readonly now: Date;
  readonly organization: string;
  private readonly seed: number;
  private readonly names = new Set<string>();
  private orgs: string[] = [];
  officialOrgs: string[] = [];
  private communityOrgs!: WeightedChoice<string>;
  private readonly typeChoice = new WeightedChoice(TYPES.map((t) => [t, t.weight] as const));
  private readonly familyChoice = new WeightedChoice(FAMILIES);
  private readonly multimodalFamilies = new WeightedChoice(FAMILIES.filter(([f]) => f.multimodal));
  private readonly precisionChoice = new WeightedChoice(PRECISIONS);
  private readonly weightTypeChoice = new WeightedChoice(WEIGHT_TYPES);
  private readonly licenseChoice = new WeightedChoice(LICENSES);
  private senders: string[] = [];

  constructor(options: DemoOptions) {
    this.seed = options.seed ?? DEMO_DEFAULTS.seed;
    this.benchmarks = options.benchmarks ?? DEFAULT_BENCHMARKS;
    this.now = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
    this.organization = options.organization ?? DEMO_DEFAULTS.organization;
  }

  random(label: string): SeededRandom {
    return SeededRandom.derive(this.seed, label);
  }

  /** Organizations: a few official providers (labs owning the base families) and a long tail. */
  makeOrganizations(models: number): void {
    const random = this.random('orgs');
    const count = Math.max(12, Math.round(models / 6));
    const seen = new Set<string>();
    while (this.orgs.length < count) {
      const name = organizationName(random);
      if (seen.has(name.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      this.orgs.push(name);
    }
    const officialCount = Math.min(25, Math.max(5, Math.round(count * 0.04)));
    this.officialOrgs = this.orgs.slice(0, officialCount);
    // Zipf-like: a few prolific community accounts, a long tail of one-model accounts.
    this.communityOrgs = new WeightedChoice(this.orgs.slice(officialCount).map((org, i) => [org, 1 / (i + 1) ** 0.9] as const));
    const senderRandom = this.random('senders');
    this.senders = Array.from({ length: Math.max(20, Math.round(count / 2)) }, () => userName(senderRandom));
  }

  private familyOwner(family: ModelFamily): string {
    const index = FAMILIES.findIndex(([f]) => f === family);
    return this.officialOrgs[index % this.officialOrgs.length]!;
  }

  private familyBase(random: SeededRandom, family: ModelFamily, params: number): string {
    const size = sizeLabel(params);
    return [`${this.familyOwner(family)}/${family.name}`, random.pick(family.versions), size].filter(Boolean).join('-');
  }

  private unique(fullname: string): string {
    let name = fullname;
    for (let k = 2; this.names.has(name.toLowerCase()); k++) name = `${fullname}-v${k}`;
    this.names.add(name.toLowerCase());
    return name;
  }

  /** One model with its metadata; `force` pins attributes so that every category appears. */
  makeModel(random: SeededRandom, force: { type?: TypeInfo; precision?: string; weightType?: string } = {}): ModelSpec {
    const type = force.type ?? this.typeChoice.sample(random);
    const family = type.short === 'multimodal' && random.chance(0.6) ? this.multimodalFamilies.sample(random) : this.familyChoice.sample(random);
    let params = new WeightedChoice(family.sizes).sample(random);
    if (type.short === 'merge' && params > 0 && random.chance(0.08)) params = Math.round(params * 1.3 * 1000) / 1000;
    const official = random.chance(type.official);
    const org = official ? random.pick(this.officialOrgs) : this.communityOrgs.sample(random);
    const suffix = random.pick(NAME_SUFFIXES[type.short] ?? ['']);
    const version = random.pick(family.versions);
    const size = sizeLabel(params);
    const parts = official
      ? [family.name, version, size, suffix]
      : random.chance(0.45)
        ? [random.pick(FLAIR), family.name.split('-')[0]!, size, suffix, random.chance(0.3) ? `v${random.int(1, 9)}` : '']
        : [`${family.name}${version}`, size, suffix, random.chance(0.25) ? random.pick(FLAIR) : ''];
    const fullname = this.unique(`${org}/${parts.filter(Boolean).join('-')}`);
    const weightType = force.weightType ?? this.weightTypeChoice.sample(random);
    const generation = new WeightedChoice(type.generations.map((w, g) => [g, w] as const)).sample(random);
    let baseModel: string | null;
    if (generation === 0 && weightType === 'Original') baseModel = random.chance(0.75) ? fullname : this.familyBase(random, family, params);
    else baseModel = this.familyBase(random, family, params);
    if (weightType === 'Original' && random.chance(0.015)) baseModel = null;
    else if (random.chance(0.004)) baseModel = 'Removed';
    const sender = !official && random.chance(0.7) ? org : random.pick(this.senders);
    return {
      org,
      fullname,
      type,
      family,
      architecture: family.architecture,
      params,
      precision: force.precision ?? this.precisionChoice.sample(random),
      weightType,
      generation,
      baseModel,
      chatTemplate: random.chance(type.chatTemplate),
      merged: random.chance(type.merged),
      moe: family.moe || (type.short === 'merge' && random.chance(0.01)),
      sha: random.hex(40),
      sender,
    };
  }

  /** Source values of every benchmark for a model of latent `skill`. */
  private scores(random: SeededRandom, skill: number, chatTemplate: boolean, noiseScale: number): Map<string, number> {
    const cells = new Map<string, number>();
    const normalized: number[] = [];
    for (const benchmark of this.benchmarks) {
      const benchmarkSkill = clamp(skill + 0.07 * noiseScale * random.normal());
      const values = benchmark.sources.map((source) => {
        const profile = profileOf(source.task, source.metric);
        const lower = lowerBound(source);
        const higher = higherBound(source);
        const span = higher - lower;
        const low = lower + profile.low * span;
        const high = lower + profile.high * span;
        const effective = profile.instructionSensitive && !chatTemplate ? benchmarkSkill * 0.55 : benchmarkSkill;
        const value = clamp(low + (high - low) * effective ** profile.exponent + profile.noise * span * noiseScale * random.normal(), 0, higher);
        // Accuracies are multiples of 1/samples; other metrics are left continuous.
        return higher === 1 ? Math.round(value * profile.samples) / profile.samples : value;
      });
      const score = scoreBenchmark(benchmark, values);
      cells.set(benchmark.raw_column, score.raw);
      cells.set(benchmark.normalized_column, score.normalized);
      normalized.push(score.normalized);
    }
    cells.set('Average ⬆️', averageScore(normalized));
    return cells;
  }

  private skillOf(random: SeededRandom, model: ModelSpec): number {
    const sizeSkill = model.params > 0 ? clamp((Math.log10(Math.max(model.params, 0.1)) + 1) / 3.2) : 0.55;
    return clamp(sizeSkill * 0.85 + model.type.skillBonus + 0.1 * random.normal());
  }

  private dateOnly(date: Date): string {
    return date.toISOString().slice(0, 10);
  }

  /** Contents rows: every model once, about 2% twice (another precision). */
  makeBoard(models: number): BoardRow[] {
    const random = this.random('board');
    const rows: BoardRow[] = [];
    const now = this.now.getTime();
    for (let i = 0; i < models; i++) {
      const force =
        i < TYPES.length
          ? { type: TYPES[i]! }
          : i < TYPES.length + PRECISIONS.length
            ? { precision: PRECISIONS[i - TYPES.length]![0] }
            : i === 12
              ? { weightType: 'Adapter' }
              : i === 13
                ? { weightType: 'Delta' }
                : {};
      const model = this.makeModel(random, force);
      const skill = this.skillOf(random, model);
      const available = random.chance(0.66);
      const official = this.officialOrgs.includes(model.org);
      const hearts = Math.min(12_000, Math.floor(0.6 / (1 - random.next()) ** 1.9) * (official ? 3 : 1));
      const submitted = new Date(now - random.int(2 * DAY, 250 * DAY));
      const uploaded = random.chance(0.1) ? null : new Date(submitted.getTime() - random.int(0, (model.generation === 0 ? 700 : 200) * DAY));
      const flagged = i === 14 || random.chance(0.002);
      const seconds = model.params > 0 ? Math.max(120, 240 * model.params ** 1.15 * Math.exp(0.45 * random.normal()) + 300) : random.int(1000, 6000);
      const precisions = [model.precision];
      if (random.chance(0.02)) precisions.push(model.precision === 'bfloat16' ? 'float16' : 'bfloat16');
      precisions.forEach((precision, k) => {
        const scores = this.scores(random, skill, model.chatTemplate, k === 0 ? 1 : 0.15);
        // A second precision was submitted later, but before now.
        const rowSubmitted = k === 0 ? submitted : new Date(Math.min(submitted.getTime() + random.int(DAY, 20 * DAY), now - 3_600_000));
        const [org, name] = [model.org, model.fullname.slice(model.org.length + 1)];
        const record: ContentsRecord = {
          eval_name: `${org}_${name}_${precision}`,
          Precision: precision,
          Type: model.type.label,
          T: model.type.label.split(' ')[0]!,
          'Weight type': model.weightType,
          Architecture: model.architecture,
          Model: modelAnchorHtml(model.fullname, this.organization),
          fullname: model.fullname,
          'Model sha': model.sha,
          'Average ⬆️': scores.get('Average ⬆️')!,
          'Hub License': available ? (random.chance(0.025) ? null : this.licenseChoice.sample(random)) : null,
          'Hub ❤️': hearts,
          '#Params (B)': model.params,
          'Available on the hub': available,
          Merged: model.merged,
          MoE: model.moe,
          Flagged: flagged,
          'Chat Template': model.chatTemplate,
          'CO₂ cost (kg)': co2CostKg(seconds * (k === 0 ? 1 : 1.1)),
          [HIGHLIGHT_COLUMN]: official,
          'Upload To Hub Date': uploaded === null ? null : this.dateOnly(uploaded),
          'Submission Date': random.chance(0.002) ? null : this.dateOnly(rowSubmitted),
          Generation: model.generation,
          'Base Model': model.baseModel,
        };
        for (const [column, value] of scores) record[column] = value;
        rows.push({ model, precision, record, submitted: rowSubmitted });
      });
    }
    rows.sort((a, b) => compare(a.model.fullname, b.model.fullname) || compare(a.precision, b.precision));
    return rows;
  }

  makeQueue(count: number): QueueEntry[] {
    const random = this.random('queue');
    const pending = Math.round(count * 0.75);
    const running = Math.round(count * 0.125);
    const now = this.now.getTime();
    const entries: QueueEntry[] = [];
    for (let i = 0; i < count; i++) {
      const status = i < pending ? 'PENDING' : i < pending + running ? 'RUNNING' : 'FAILED';
      const model = this.makeModel(random);
      let submitted: Date;
      let jobStart: Date | null = null;
      if (status === 'PENDING') submitted = new Date(now - random.int(60_000, 21 * DAY));
      else if (status === 'RUNNING') {
        submitted = new Date(now - random.int(2 * 3_600_000, 5 * DAY));
        jobStart = new Date(random.int(submitted.getTime() + 1_800_000, now - 300_000));
      } else {
        submitted = new Date(now - random.int(2 * DAY, 90 * DAY));
        jobStart = new Date(submitted.getTime() + random.int(3_600_000, DAY));
      }
      entries.push({ model, status, submitted, jobStart, jobId: status === 'PENDING' ? -1 : random.int(200_000, 999_999) });
    }
    return entries;
  }

  requestFile(model: ModelSpec, precision: string, status: string, submitted: Date, jobId: number, jobStart: Date | null): EvalRequest {
    return {
      model: model.fullname,
      base_model: model.weightType === 'Original' ? '' : (model.baseModel ?? ''),
      revision: model.sha,
      precision,
      params: model.params,
      architectures: model.architecture,
      weight_type: model.weightType,
      status,
      submitted_time: formatUtcSeconds(submitted),
      model_type: model.type.short,
      job_id: jobId,
      job_start_time: jobStart === null ? null : formatUtcSeconds(jobStart),
      use_chat_template: model.chatTemplate,
      sender: model.sender,
    };
  }

  /**
   * Exactly `count` votes, mostly on queued models: first each queued submission's automatic
   * upvote by its sender, then random voters, at most one vote per (model, revision, user,
   * precision), in time order.
   */
  makeVotes(count: number, board: readonly BoardRow[], queue: readonly QueueEntry[]): VoteRecord[] {
    const random = this.random('votes');
    const now = this.now.getTime();
    interface Target {
      model: string;
      revision: string;
      precision: string;
      since: number;
    }
    const active = queue.filter((entry) => entry.status !== 'FAILED');
    const queued: Target[] = active.map((entry) => ({ model: entry.model.fullname, revision: entry.model.sha, precision: entry.model.precision, since: entry.submitted.getTime() }));
    const finished: Target[] = board.map((row) => ({
      model: row.model.fullname,
      revision: row.model.sha,
      precision: row.precision,
      since: row.submitted.getTime(),
    }));
    const queueShare = queued.length === 0 ? 0 : finished.length === 0 ? 1 : 0.85;
    // Popularity: a few queued models draw most votes; finished ones in proportion to hearts.
    const queuedWeights = queued.map((_, i) => 1 / (i + 1) ** 0.8);
    const finishedWeights = board.map((row) => 1 + Number(row.record['Hub ❤️']));
    const queuedChoice = queued.length > 0 ? new WeightedChoice(queued.map((t, i) => [t, queuedWeights[i]!] as const)) : undefined;
    const finishedChoice = finished.length > 0 ? new WeightedChoice(finished.map((t, i) => [t, finishedWeights[i]!] as const)) : undefined;
    if (!queuedChoice && !finishedChoice) {
      if (count > 0) throw new Error('Cannot create votes without models');
      return [];
    }

    // Enough distinct voters that the most popular model can take its share with room to spare.
    const maxLoad = Math.max(
      queued.length > 0 ? (count * queueShare * Math.max(...queuedWeights)) / sum(queuedWeights) : 0,
      finished.length > 0 ? (count * (1 - queueShare) * Math.max(...finishedWeights)) / sum(finishedWeights) : 0,
    );
    const userCount = Math.max(200, Math.ceil(maxLoad * 1.6) + 50);
    const users: string[] = [];
    const userSet = new Set<string>();
    const userRandom = this.random('voters');
    while (users.length < userCount) {
      const name = userName(userRandom);
      if (userSet.has(name)) continue;
      userSet.add(name);
      users.push(name);
    }

    // (target, voter) pairs already used, as target × userCount + voter.
    const taken = new Set<number>();
    const userIndex = new Map(users.map((name, i) => [name, i]));
    const targetIndex = new Map<Target, number>([...queued, ...finished].map((target, i) => [target, i]));
    const votes: VoteRecord[] = [];
    const timestamps: number[] = [];
    const add = (target: Target, username: string, time: number, up: boolean): void => {
      votes.push({
        model: target.model,
        revision: target.revision,
        username,
        timestamp: new Date(time).toISOString().slice(0, 19) + 'Z',
        vote_type: up ? 'up' : 'down',
        precision: target.precision,
      });
      timestamps.push(time);
    };
    for (let i = 0; i < queued.length && votes.length < count; i++) {
      const sender = active[i]!.model.sender;
      const u = userIndex.get(sender);
      if (u !== undefined) taken.add(i * userCount + u);
      add(queued[i]!, sender, queued[i]!.since, true);
    }
    while (votes.length < count) {
      const target = (queuedChoice && (!finishedChoice || random.chance(queueShare)) ? queuedChoice : finishedChoice!).sample(random);
      const base = targetIndex.get(target)! * userCount;
      let u = Math.floor(random.next() * userCount);
      let tries = 0;
      while (taken.has(base + u) && tries < userCount) {
        u = (u + 1) % userCount;
        tries++;
      }
      if (tries === userCount) continue;
      taken.add(base + u);
      const since = Math.min(target.since, now);
      const time = since + Math.floor(random.next() * (now - since));
      add(target, users[u]!, time, random.chance(0.88));
    }
    const order = votes.map((_, i) => i).sort((a, b) => timestamps[a]! - timestamps[b]! || a - b);
    return order.map((i) => votes[i]!);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

const encoder = new TextEncoder();

/** Puts `files` into a dataset in one commit, deleting every other file it holds. */
async function replaceDataset(repo: DatasetRepo, files: Map<string, Uint8Array>, message: string): Promise<void> {
  const operations: CommitOperation[] = [];
  for (const [path, content] of files) operations.push({ op: 'put', path, content });
  for (const file of await repo.list()) if (!files.has(file.path)) operations.push({ op: 'delete', path: file.path });
  await repo.commit(operations, message);
}

/**
 * Writes the demo dataset into `contents`, `requests`, `votes` and `official-providers`
 * (replacing what they held; `results` is left alone).
 */
export async function createDemoDataset(
  datasets: Readonly<Record<DatasetName, DatasetRepo>>,
  options: DemoOptions = {},
): Promise<DemoSummary> {
  const models = options.models ?? DEMO_DEFAULTS.models;
  const voteCount = options.votes ?? DEMO_DEFAULTS.votes;
  const queueCount = options.requests ?? DEMO_DEFAULTS.requests;
  for (const [name, value, min] of [['models', models, 1], ['votes', voteCount, 0], ['requests', queueCount, 0]] as const) {
    if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  }

  const generator = new DemoGenerator(options);
  generator.makeOrganizations(models);
  const board = generator.makeBoard(models);
  const queue = generator.makeQueue(queueCount);
  const votes = generator.makeVotes(voteCount, board, queue);

  const jobRandom = generator.random('jobs');
  const requestFiles = new Map<string, Uint8Array>();
  for (const row of board) {
    const jobStart = new Date(Math.min(row.submitted.getTime() + jobRandom.int(600_000, 3 * DAY), generator.now.getTime()));
    const request = generator.requestFile(row.model, row.precision, 'FINISHED', row.submitted, jobRandom.int(10_000, 199_999), jobStart);
    requestFiles.set(requestFilePath(row.model.fullname, row.precision, row.model.weightType), encoder.encode(encodeRequestFile(request)));
  }
  for (const entry of queue) {
    const request = generator.requestFile(entry.model, entry.model.precision, entry.status, entry.submitted, entry.jobId, entry.jobStart);
    requestFiles.set(requestFilePath(entry.model.fullname, entry.model.precision, entry.model.weightType), encoder.encode(encodeRequestFile(request)));
  }

  const columns = demoContentsColumns(generator.benchmarks);
  await Promise.all([
    replaceDataset(
      datasets.contents,
      new Map([[CONTENTS_PARQUET_PATH, encodeContentsParquet(board.map((row) => row.record), columns)]]),
      `Demo contents: ${board.length} rows`,
    ),
    replaceDataset(datasets.requests, requestFiles, `Demo requests: ${requestFiles.size} files`),
    replaceDataset(datasets.votes, new Map([[VOTES_FILE_PATH, encoder.encode(encodeVoteLines(votes))]]), `Demo votes: ${votes.length}`),
    replaceDataset(
      datasets['official-providers'],
      new Map([[OFFICIAL_PROVIDERS_PATH, encodeOfficialProviders(generator.officialOrgs)]]),
      'Demo official providers',
    ),
  ]);

  const count = (status: string) => queue.filter((entry) => entry.status === status).length;
  return {
    models: new Set(board.map((row) => row.model.fullname)).size,
    rows: board.length,
    requests: { pending: count('PENDING'), running: count('RUNNING'), finished: board.length, failed: count('FAILED') },
    votes: votes.length,
    officialProviders: generator.officialOrgs.length,
  };
}
