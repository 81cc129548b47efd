/**
 * Lines of the votes log. A vote is the original row (`vote-record.ts`). Retracting a vote
 * appends the same row with `"vote_type": "retract"`: the log stays append-only and one table
 * with the original's six columns (a Hub dataset viewer still shows it), and replaying lines
 * in order — the latest line of a (model, revision, username, precision) wins — gives the
 * current votes.
 */
import { decodeVoteLine, decodeVoteObject, encodeVoteLine, VOTE_FIELD_ORDER, VoteRecordError, type VoteRecord } from '../../datasets/vote-record.js';

export interface RetractionRecord extends Omit<VoteRecord, 'vote_type'> {
  vote_type: 'retract';
}

export type VoteLogEntry = VoteRecord | RetractionRecord;

export function isRetraction(entry: VoteLogEntry): entry is RetractionRecord {
  return entry.vote_type === 'retract';
}

/** One log line without the trailing newline, byte-compatible with the original's rows. */
export function encodeLogEntry(entry: VoteLogEntry): string {
  if (!isRetraction(entry)) return encodeVoteLine(entry);
  // Validate the other fields exactly as a vote row, then write the retraction marker.
  encodeVoteLine({ ...entry, vote_type: 'up' });
  return `{${VOTE_FIELD_ORDER.map((key) => `"${key}": ${pythonJsonString(entry[key])}`).join(', ')}}`;
}

/** Parses a log line; throws VoteRecordError when it is neither a vote nor a retraction row. */
export function decodeLogEntry(line: string, lineNumber?: number): VoteLogEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return decodeVoteLine(line, lineNumber); // throws with the decoder's message
  }
  if (parsed !== null && typeof parsed === 'object' && (parsed as { vote_type?: unknown }).vote_type === 'retract') {
    const asVote = decodeVoteObject({ ...parsed, vote_type: 'up' }, lineNumber);
    return { ...asVote, vote_type: 'retract' };
  }
  // One JSON.parse per line: the startup replay decodes every vote ever cast.
  return decodeVoteObject(parsed, lineNumber);
}

export { VoteRecordError };

function pythonJsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
