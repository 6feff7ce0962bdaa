import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../core/identity.js'
import { NotFoundError } from '../core/errors.js'
import { requireProjectAccess, type Need } from '../projects/access.js'
import type { ProjectAccess } from '../projects/policy.js'
import * as repo from './repository.js'
import type { Measure } from './repository.js'

export interface MeasureContext {
  measure: Measure
  project: { id: string; title: string; status: string; visibility: string }
  access: ProjectAccess
}

/** Today's date in the clock's UTC, the latest period a point may have. */
export const today = (clock: () => Date) => clock().toISOString().slice(0, 10)

/** The measure, its project and what this user may do; "not found" when they may not see it. */
export async function measureContext(
  db: Kysely<DB>,
  user: CurrentUser | null,
  measureId: string,
  need: Need = 'view',
): Promise<MeasureContext> {
  const measure = await repo.findMeasure(db, measureId)
  if (!measure) throw new NotFoundError()
  const { facts, access } = await requireProjectAccess(db, user, measure.projectId, need)
  return {
    measure,
    project: { id: facts.id, title: facts.title, status: facts.status, visibility: facts.visibility },
    access,
  }
}

/** The project a measure is added to, and what this user may do there. */
export async function projectContext(
  db: Kysely<DB>,
  user: CurrentUser | null,
  projectId: string,
  need: Need = 'view',
) {
  const { facts, access } = await requireProjectAccess(db, user, projectId, need)
  return {
    project: { id: facts.id, title: facts.title, status: facts.status, visibility: facts.visibility },
    access,
  }
}
