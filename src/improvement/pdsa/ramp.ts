import type { PdsaCycle } from './repository.js'

export interface Ramp {
  /** The cycles in order, each numbered within the ramp (1, 2, 3…). */
  cycles: (PdsaCycle & { number: number })[]
}

/**
 * The ramps of one change idea: chains of cycles linked by "adapt" (each cycle's
 * previous_id), first cycle first. A cycle whose previous cycle is not among these
 * starts a ramp of its own. Ramps are ordered by their first cycle's creation.
 * @example buildRamps([c1, c2 (previous c1), c3]) // [{ cycles: [c1, c2] }, { cycles: [c3] }]
 */
export function buildRamps(cycles: PdsaCycle[]): Ramp[] {
  const ids = new Set(cycles.map((c) => c.id))
  const nextOf = new Map<string, PdsaCycle[]>()
  for (const c of cycles) {
    if (c.previousId && ids.has(c.previousId))
      nextOf.set(c.previousId, [...(nextOf.get(c.previousId) ?? []), c])
  }
  const byCreation = (a: PdsaCycle, b: PdsaCycle) =>
    a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)
  const roots = cycles.filter((c) => !c.previousId || !ids.has(c.previousId)).sort(byCreation)
  const seen = new Set<string>()
  // Cycles only reachable through a loop of links (never made by the app) still get shown.
  const starts = [...roots, ...cycles.filter((c) => !roots.includes(c)).sort(byCreation)]
  const ramps: Ramp[] = []
  for (const start of starts) {
    if (seen.has(start.id)) continue
    const chain: (PdsaCycle & { number: number })[] = []
    const queue = [start]
    while (queue.length) {
      const c = queue.shift()!
      if (seen.has(c.id)) continue
      seen.add(c.id)
      chain.push({ ...c, number: chain.length + 1 })
      queue.push(...(nextOf.get(c.id) ?? []).sort(byCreation))
    }
    ramps.push({ cycles: chain })
  }
  return ramps
}
