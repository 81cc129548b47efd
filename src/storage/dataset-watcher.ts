/**
 * Keeps a view derived from datasets (the leaderboard payloads, the requests index) up to
 * date. `refresh()` runs the view's `rebuild` — which compares dataset versions and rebuilds
 * only when they changed — after every commit through the repos and every `intervalMs`
 * (CACHE_TTL), which is how changes made behind the service's back are noticed.
 *
 * Concurrent refreshes share one run, and a refresh asked for during a run makes that run go
 * round once more, so no change is missed and a rebuild never runs twice at once. Timer ticks
 * during a run are dropped rather than queued: a check slower than the interval (a Hub outage
 * with retries) must not keep the loop, and everything awaiting it, running forever.
 */
import type { DatasetRepo } from './dataset-repo.js';

export interface DatasetWatcherOptions {
  /** The datasets the view is derived from. */
  repos: readonly DatasetRepo[];
  /** Checks versions and rebuilds when they changed. */
  rebuild: () => Promise<void>;
  /** A failed rebuild keeps the previous view; this reports why. */
  onError: (error: unknown) => void;
  intervalMs: number;
}

export class DatasetWatcher {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribes: Array<() => void> = [];

  constructor(private readonly options: DatasetWatcherOptions) {}

  /** Builds the view once and starts watching. */
  start(): Promise<void> {
    for (const repo of this.options.repos) this.unsubscribes.push(repo.onCommit(() => void this.refresh()));
    this.timer = setInterval(() => void (this.running ?? this.refresh()), this.options.intervalMs);
    this.timer.unref();
    return this.refresh();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  /** Resolves once the view reflects the datasets as they were when it was called. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.options.rebuild();
        } while (this.again);
      } catch (error) {
        this.options.onError(error);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
