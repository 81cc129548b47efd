/**
 * Readiness of the service: each component that loads data says when it is ready and which
 * dataset files it could not read. `GET /ready` answers 503 until every expected component is
 * ready, and lists the bad files (the rest of the data is still served).
 */
import type { Logger } from 'pino';

export interface DataProblem {
  dataset: string;
  path: string;
  reason: string;
}

export class Readiness {
  private readonly waiting = new Set<string>();
  private readonly ready = new Set<string>();
  private readonly problems = new Map<string, DataProblem[]>();
  private readonly logged = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** Declares a component that must become ready before the service is. */
  expect(component: string): void {
    if (!this.ready.has(component)) this.waiting.add(component);
  }

  markReady(component: string): void {
    this.waiting.delete(component);
    this.ready.add(component);
  }

  /** Replaces the component's list of unreadable files; each new one is logged once. */
  reportProblems(component: string, problems: DataProblem[]): void {
    this.problems.set(component, problems);
    for (const problem of problems) {
      const key = `${problem.dataset}\0${problem.path}\0${problem.reason}`;
      if (this.logged.has(key)) continue;
      this.logged.add(key);
      this.logger.warn({ component, ...problem }, 'skipped an unreadable dataset file');
    }
  }

  isReady(): boolean {
    return this.waiting.size === 0;
  }

  status(): { ready: boolean; waiting: string[]; components: string[]; problems: DataProblem[] } {
    return {
      ready: this.isReady(),
      waiting: [...this.waiting].sort(),
      components: [...this.ready].sort(),
      problems: [...this.problems.values()].flat(),
    };
  }
}
