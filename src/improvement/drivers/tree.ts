import type { ChangeIdea, Driver } from './repository.js'

export interface TreeSecondary {
  driver: Driver
  ideas: ChangeIdea[]
}

export interface TreePrimary {
  driver: Driver
  secondaries: TreeSecondary[]
  /** Change ideas linked straight to the primary driver. */
  ideas: ChangeIdea[]
}

export interface DriverTree {
  primaries: TreePrimary[]
  /** Secondary drivers without a primary parent (only when data predates the rule). */
  orphanSecondaries: TreeSecondary[]
  /** Change ideas not linked to any driver yet. */
  unlinkedIdeas: ChangeIdea[]
}

/**
 * The driver diagram as a nested structure for the list alternative: primary →
 * secondary → change ideas. A secondary driver with several primary parents, and a
 * change idea with several drivers, appear under each of them.
 */
export function buildDriverTree(drivers: Driver[], ideas: ChangeIdea[]): DriverTree {
  const primaries = drivers.filter((d) => d.kind === 'primary')
  const secondaries = drivers.filter((d) => d.kind === 'secondary')
  const ideasOf = (driverId: string) => ideas.filter((i) => i.driverIds.includes(driverId))
  const known = new Set(drivers.map((d) => d.id))
  const primaryIds = new Set(primaries.map((p) => p.id))
  return {
    primaries: primaries.map((p) => ({
      driver: p,
      secondaries: secondaries
        .filter((s) => s.parentIds.includes(p.id))
        .map((s) => ({ driver: s, ideas: ideasOf(s.id) })),
      ideas: ideasOf(p.id),
    })),
    orphanSecondaries: secondaries
      .filter((s) => !s.parentIds.some((id) => primaryIds.has(id)))
      .map((s) => ({ driver: s, ideas: ideasOf(s.id) })),
    unlinkedIdeas: ideas.filter((i) => !i.driverIds.some((id) => known.has(id))),
  }
}
