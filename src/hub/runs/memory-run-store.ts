import { MemoryRunLog } from './memory-run-log.js';
import type { RunInfo, RunLimits, RunLog, RunStatus, RunStore } from './run-store.js';

/**
 * Runs in this process's memory: each run's log is kept from its claim until `ttlMs` after its
 * end, then forgotten, whatever else the hub's history holds.
 */
export class MemoryRunStore implements RunStore {
  #runs = new Map<string, MemoryRunLog>();
  #timers = new Set<NodeJS.Timeout>();

  claim(id: string, limits: RunLimits): Promise<boolean> {
    if (this.#runs.has(id)) return Promise.resolve(false);
    this.#runs.set(id, new MemoryRunLog(limits));
    return Promise.resolve(true);
  }

  open(id: string): RunLog {
    const log = this.#runs.get(id);
    // A view of a run that expired meanwhile: an empty log that never ends (nobody reads it).
    return log ?? new MemoryRunLog({ ttlMs: 0, maxEvents: 0, maxBytes: 0 });
  }

  finish(id: string, status: RunStatus): Promise<string | undefined> {
    const log = this.#runs.get(id);
    const endId = log?.end(status);
    if (log !== undefined && endId !== undefined) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (this.#runs.get(id) === log) this.#runs.delete(id);
      }, log.limits.ttlMs);
      timer.unref();
      this.#timers.add(timer);
    }
    return Promise.resolve(endId);
  }

  info(id: string): Promise<RunInfo | undefined> {
    const log = this.#runs.get(id);
    return Promise.resolve(log && { state: log.state, endId: log.endId });
  }

  release(): void {}

  counts(): { active: number; retained: number } {
    let active = 0;
    for (const log of this.#runs.values()) if (log.state === 'running') active++;
    return { active, retained: this.#runs.size - active };
  }

  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#runs.clear();
  }
}
