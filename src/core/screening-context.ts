import { AsyncLocalStorage } from 'node:async_hooks'
import type { HospitalPattern } from './hospital-patterns.js'

/**
 * The hospital-number patterns in force for the request being handled. Each write request
 * loads them from the database (several instances share one database, so nothing is kept
 * between requests) and runs its handler inside `withScreeningPatterns`; the shared form
 * helpers read them with `screeningPatterns()` without any route passing them along.
 * Outside a request (command line, demo loader, unit tests) there are none.
 */
const storage = new AsyncLocalStorage<readonly HospitalPattern[]>()

export function withScreeningPatterns<T>(patterns: readonly HospitalPattern[], run: () => T): T {
  return storage.run(patterns, run)
}

export function screeningPatterns(): readonly HospitalPattern[] {
  return storage.getStore() ?? []
}
