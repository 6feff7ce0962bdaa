/**
 * A small in-process least-recently-used cache of values computed from their key alone (drawn
 * charts, rendered fragments). Safe with several instances and no shared state because the key
 * holds everything the value is computed from: a measure's chart key has the measure's version
 * and data version (read from the database on every request), its annotations, PDSA marks and
 * the viewer's right to see small numbers, so a change anywhere gives a new key and an old entry
 * is never served.
 */
export class MemoCache<T> {
  private readonly entries = new Map<string, { value: T; size: number }>()
  private bytes = 0

  constructor(
    private readonly maxEntries = 200,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    // Most recently used last.
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  set(key: string, value: T, size: number): void {
    const old = this.entries.get(key)
    if (old) {
      this.bytes -= old.size
      this.entries.delete(key)
    }
    if (size > this.maxBytes / 4) return
    this.entries.set(key, { value, size })
    this.bytes += size
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.entries.delete(k)
      this.bytes -= e.size
    }
  }

  get size(): number {
    return this.entries.size
  }
}
