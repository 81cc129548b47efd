/**
 * The votes dataset: `votes_data.jsonl`, one vote per line, as the original appended them with
 * Python's `json.dumps(vote)` (separators `, ` and `: `, non-ASCII escaped as `\uXXXX`).
 * Decoding is strict: a line that is not exactly a vote row is an error, so a damaged log is
 * noticed instead of silently miscounted.
 */
import { formatUtcSeconds } from './request-file.js';

export type VoteType = 'up' | 'down';

export interface VoteRecord {
  /** `org/name` of the model voted on. */
  model: string;
  /** The model revision (commit sha) the vote is about. */
  revision: string;
  username: string;
  /** `%Y-%m-%dT%H:%M:%SZ`, UTC. */
  timestamp: string;
  vote_type: VoteType;
  precision: string;
}

/** Field order of a vote line (the order the original built its dict in, plus `precision`). */
export const VOTE_FIELD_ORDER = ['model', 'revision', 'username', 'timestamp', 'vote_type', 'precision'] as const;

/** The file every vote is appended to; readers take every `*.jsonl` of the dataset. */
export const VOTES_FILE_PATH = 'votes_data.jsonl';

/** Printable ASCII without `"` and `\\`: written as is. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export class VoteRecordError extends Error {
  constructor(
    message: string,
    /** 1-based line number in the file, when known. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'VoteRecordError';
  }
}

/** A vote timestamp (`%Y-%m-%dT%H:%M:%SZ`) for a date. */
export function formatVoteTimestamp(date: Date): string {
  return formatUtcSeconds(date);
}

/** Whether `text` is a real UTC time in `%Y-%m-%dT%H:%M:%SZ` form. */
export function isVoteTimestamp(text: string): boolean {
  const match = TIMESTAMP_PATTERN.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

/** One vote as a JSONL line, without the trailing newline. */
export function encodeVoteLine(vote: VoteRecord): string {
  assertVote(vote as unknown as Record<string, unknown>);
  return (
    `{"model": ${pythonJsonString(vote.model)}, "revision": ${pythonJsonString(vote.revision)}, ` +
    `"username": ${pythonJsonString(vote.username)}, "timestamp": ${pythonJsonString(vote.timestamp)}, ` +
    `"vote_type": ${pythonJsonString(vote.vote_type)}, "precision": ${pythonJsonString(vote.precision)}}`
  );
}

/** Votes as JSONL text: one line each, every line ending with `\n`. */
export function encodeVoteLines(votes: Iterable<VoteRecord>): string {
  let text = '';
  for (const vote of votes) text += `${encodeVoteLine(vote)}\n`;
  return text;
}

/**
 * Parses one line. Throws VoteRecordError for anything but a JSON object with exactly the six
 * fields, strings, a known `vote_type` and a valid timestamp. Surrounding whitespace (and a
 * `\r` of CRLF files) is ignored.
 */
export function decodeVoteLine(line: string, lineNumber?: number): VoteRecord {
  const text = line.trim();
  if (text === '') throw new VoteRecordError('empty line', lineNumber);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new VoteRecordError(`invalid JSON (${(error as Error).message})`, lineNumber);
  }
  return decodeVoteObject(parsed, lineNumber);
}

/** Checks an already parsed line (see decodeVoteLine): for callers that parse once. */
export function decodeVoteObject(parsed: unknown, lineNumber?: number): VoteRecord {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new VoteRecordError('not a JSON object', lineNumber);
  }
  try {
    assertVote(parsed as Record<string, unknown>);
  } catch (error) {
    throw new VoteRecordError((error as Error).message, lineNumber);
  }
  const record = parsed as Record<string, string>;
  return {
    model: record.model!,
    revision: record.revision!,
    username: record.username!,
    timestamp: record.timestamp!,
    vote_type: record.vote_type as VoteType,
    precision: record.precision!,
  };
}

/**
 * Parses a whole JSONL file. Blank lines are skipped; the first malformed line throws a
 * VoteRecordError naming its 1-based line number.
 */
export function decodeVoteLines(text: string): VoteRecord[] {
  const votes: VoteRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    votes.push(decodeVoteLine(line, i + 1));
  }
  return votes;
}

function assertVote(record: Record<string, unknown>): void {
  let fields = 0;
  for (const key of VOTE_FIELD_ORDER) {
    const value = record[key];
    if (value === undefined) throw new Error(`missing "${key}"`);
    if (typeof value !== 'string') throw new Error(`"${key}" must be a string, got ${JSON.stringify(value)}`);
    if (value === '') throw new Error(`"${key}" is empty`);
    fields++;
  }
  for (const key in record) {
    if (fields-- <= 0 || !(VOTE_FIELD_ORDER as readonly string[]).includes(key)) {
      const extra = Object.keys(record).find((k) => !(VOTE_FIELD_ORDER as readonly string[]).includes(k));
      throw new Error(`unexpected field "${extra}"`);
    }
  }
  if (record.vote_type !== 'up' && record.vote_type !== 'down') {
    throw new Error(`"vote_type" must be "up" or "down", got ${JSON.stringify(record.vote_type)}`);
  }
  if (!isVoteTimestamp(record.timestamp as string)) {
    throw new Error(`"timestamp" must be %Y-%m-%dT%H:%M:%SZ, got ${JSON.stringify(record.timestamp)}`);
  }
}

/** JSON string as Python's json.dumps writes it (ensure_ascii: everything above 0x7e escaped). */
function pythonJsonString(text: string): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
