/**
 * What votes need from the leaderboard: whether a model is on it and the precision of its
 * best-ranked row (the default precision of a vote for an evaluated model).
 */
import type { LeaderboardService, LeaderboardSnapshot } from '../leaderboard/service.js';

export interface ModelCatalog {
  /** Whether the first load is done (before it, `hasModel` may miss models). */
  isLoaded(): boolean;
  hasModel(modelId: string): boolean;
  /** Precision of the model's best-ranked row, if it is on the board. */
  precisionOf(modelId: string): string | undefined;
}

export function leaderboardCatalog(leaderboard: LeaderboardService): ModelCatalog {
  const precisions = new WeakMap<LeaderboardSnapshot, Map<string, string>>();
  const precisionIndex = (snapshot: LeaderboardSnapshot): Map<string, string> => {
    let index = precisions.get(snapshot);
    if (!index) {
      index = new Map();
      // Items are ranked best first: the first row of a model is its best one.
      for (const item of snapshot.items) {
        if (item.model.name && item.model.precision && !index.has(item.model.name)) index.set(item.model.name, item.model.precision);
      }
      precisions.set(snapshot, index);
    }
    return index;
  };
  return {
    isLoaded: () => leaderboard.current() !== undefined,
    hasModel: (modelId) => leaderboard.hasModel(modelId),
    precisionOf: (modelId) => {
      const snapshot = leaderboard.current();
      return snapshot ? precisionIndex(snapshot).get(modelId) : undefined;
    },
  };
}
