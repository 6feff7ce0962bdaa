import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { checkPattern, compilePattern, type HospitalPattern } from '../core/hospital-patterns.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import type { PatternInput } from './forms.js'
import { canGovernInformation } from './policy.js'
import * as repo from './repository.js'

/** Hospital-number patterns for patient-data screening, managed by IG leads. */
export class ScreeningService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  /** The patterns in force now, read from the database (never kept between requests). */
  async patterns(): Promise<HospitalPattern[]> {
    return (await repo.patternSources(this.db)).map(compilePattern)
  }

  async list(user: CurrentUser): Promise<repo.StoredPattern[]> {
    if (!canGovernInformation(user))
      throw new ForbiddenError('Only information governance leads can use this page')
    return repo.listPatterns(this.db)
  }

  async get(user: CurrentUser, id: string): Promise<repo.StoredPattern> {
    const found = (await this.list(user)).find((p) => p.id === id)
    if (!found) throw new NotFoundError()
    return found
  }

  async add(user: CurrentUser, input: PatternInput, ip?: string): Promise<string> {
    if (!canGovernInformation(user))
      throw new ForbiddenError('Only information governance leads can use this page')
    const checked = checkPattern(input.kind, input.pattern)
    if (!checked.ok) throw new ValidationError({ pattern: checked.message })
    const id = newId()
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await repo.insertPattern(trx, {
        id,
        label: input.label,
        kind: input.kind,
        pattern: input.pattern.trim(),
        source: checked.source,
        at,
        by: user.id,
      })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'screening.pattern_added',
        entityType: 'screening_pattern',
        entityId: id,
        ip,
        after: { label: input.label, kind: input.kind, pattern: input.pattern.trim() },
      })
    })
    return id
  }

  async remove(user: CurrentUser, id: string, ip?: string): Promise<void> {
    const existing = await this.get(user, id)
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.deletePattern(trx, id))) throw new NotFoundError()
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'screening.pattern_removed',
        entityType: 'screening_pattern',
        entityId: id,
        ip,
        before: { label: existing.label, kind: existing.kind, pattern: existing.pattern },
      })
    })
  }
}
