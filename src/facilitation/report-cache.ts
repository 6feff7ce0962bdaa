import { performance } from 'node:perf_hooks'

/**
 * Short-lived results of the triage team's shared views (the ordered queue, capacity month by
 * month, the pipeline), which otherwise scan every request and every hour on each view.
 * A result is reused for at most `ttlMs`; any facilitation write in this process drops them all
 * at once, and other instances see changes within `ttlMs`. Concurrent misses share one
 * computation. Decisions never read from here: they check the database inside their transaction.
 */
export class ReportCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>()

  constructor(
    private readonly ttlMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key)
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value as Promise<T>
    const value = compute()
    this.entries.set(key, { at: this.now(), value })
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key)
    })
    return value
  }

  invalidate(): void {
    this.entries.clear()
  }
}
