/**
 * What votes need to know about the evaluation queue, behind a small interface so the queue
 * feature can change underneath: whether a model has a request at all, and the revision and
 * precision of its pending request (the defaults of a vote). The implementation reads the
 * shared requests index (features/queue/requests-index.ts).
 */
import type { RequestsIndex } from '../queue/requests-index.js';

export interface PendingRequest {
  revision: string;
  precision: string;
}

export interface QueueLookup {
  /** The model's pending request (the latest submitted when there are several). */
  pendingRequest(modelId: string): PendingRequest | undefined;
  /** Shorthand for `pendingRequest(modelId)?.revision`. */
  pendingRevision(modelId: string): string | undefined;
  /** Whether the requests dataset has any request for the model, whatever its status. */
  isKnown(modelId: string): boolean;
  /** Whether the first load is done (before it, `isKnown` may miss models). */
  isLoaded(): boolean;
}

/** Statuses that mean "waiting to be evaluated" (PENDING, and variants such as PENDING_NEW_EVAL). */
export function isPendingStatus(status: string): boolean {
  return status.toUpperCase().startsWith('PENDING');
}

export function requestsQueueLookup(index: RequestsIndex): QueueLookup {
  const pendingRequest = (modelId: string): PendingRequest | undefined => {
    let best: { revision: string; precision: string; submitted: string } | undefined;
    for (const { request } of index.byModel(modelId)) {
      if (typeof request.status !== 'string' || !isPendingStatus(request.status)) continue;
      const submitted = typeof request.submitted_time === 'string' ? request.submitted_time : '';
      if (best && submitted <= best.submitted) continue;
      best = {
        revision: typeof request.revision === 'string' && request.revision !== '' ? request.revision : 'main',
        precision: typeof request.precision === 'string' && request.precision !== '' ? request.precision : 'unknown',
        submitted,
      };
    }
    return best && { revision: best.revision, precision: best.precision };
  };
  return {
    pendingRequest,
    pendingRevision: (modelId) => pendingRequest(modelId)?.revision,
    isKnown: (modelId) => index.byModel(modelId).length > 0,
    isLoaded: () => index.version() !== undefined,
  };
}
