import type { Kysely } from 'kysely'
import { isPlatformAdmin, type CurrentUser } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import { ForbiddenError, NotFoundError } from '../core/errors.js'
import { findExternalFaculty, findOwnership, type LearningObject } from './access-repository.js'
import { canManageFaculty, requireFacultyManager } from './policy.js'

/**
 * Who may use a learning route, decided from its address alone, so routes can check before they
 * read the form (route-level guards in route-helpers.ts). Each method throws to refuse.
 */
export class LearningAccess {
  constructor(private readonly db: Kysely<DB>) {}

  private async owner(kind: LearningObject, id: string) {
    const found = await findOwnership(this.db, kind, id)
    if (!found) throw new NotFoundError()
    return found
  }

  /** The faculty's admins (and platform admins) only. */
  async requireManager(user: CurrentUser, kind: LearningObject, id: string): Promise<void> {
    requireFacultyManager(user, (await this.owner(kind, id)).facultyId)
  }

  /** An enrolment's learner, or the faculty's admins. */
  async requireLearnerOrManager(user: CurrentUser, enrolmentId: string): Promise<void> {
    const found = await this.owner('enrolment', enrolmentId)
    if (found.userId !== user.id && !canManageFaculty(user, found.facultyId))
      throw new ForbiddenError('You can only withdraw from your own places')
  }

  /** An enrolment's learner only; to anyone else it does not exist. */
  async requireLearner(user: CurrentUser, enrolmentId: string): Promise<void> {
    const found = await findOwnership(this.db, 'enrolment', enrolmentId)
    if (!found || found.userId !== user.id) throw new NotFoundError()
  }

  /** The admins of the faculty chosen to check training done elsewhere (platform admins when none was). */
  async requireExternalReviewer(user: CurrentUser, externalId: string): Promise<void> {
    const found = await findExternalFaculty(this.db, externalId)
    if (!found) throw new NotFoundError()
    const allowed = found.facultyId ? canManageFaculty(user, found.facultyId) : isPlatformAdmin(user)
    if (!allowed) throw new ForbiddenError('Only the chosen faculty’s admins can check this training')
  }
}
