import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../core/errors.js'
import { findPersonByEmail } from '../people/accounts.js'
import type { CriterionInput } from './forms.js'
import { isSteeringGroup } from './policy.js'
import type { PosterService, ShowcaseDeps } from './poster-service.js'
import * as repo from './repository.js'
import * as judging from './judging-repository.js'
import type { Occasion, Poster } from './repository.js'

export type { Criterion } from './judging-repository.js'

/**
 * The judges' panel of an occasion: the Steering Group names the judges and sets the criteria;
 * each judge scores the published posters until the occasion closes; the scores show after the
 * close, beside and apart from the members' vote.
 */
export class JudgingService {
  constructor(
    private readonly deps: ShowcaseDeps,
    private readonly posters: PosterService,
    private readonly isClosed: (o: Occasion) => boolean,
  ) {}

  private get db() {
    return this.deps.db
  }

  private now(): string {
    return this.deps.clock().toISOString()
  }

  private async occasion(id: string): Promise<Occasion> {
    const occasion = await repo.findOccasion(this.db, id)
    if (!occasion) throw new NotFoundError()
    return occasion
  }

  /** The judges of an occasion, by name. */
  async panelOf(occasionId: string) {
    return judging.listJudges(this.db, occasionId)
  }

  /** Who may open the panel page: the Steering Group and the occasion's judges; others get 403. */
  async mayOpen(user: CurrentUser | null, occasionId: string): Promise<void> {
    if (!user) throw new UnauthenticatedError()
    await this.occasion(occasionId)
    if (isSteeringGroup(user)) return
    if (!(await judging.isJudge(this.db, occasionId, user.id)))
      throw new ForbiddenError('Only the Steering Group and this occasion’s judges can open its judging')
  }

  async panel(user: CurrentUser, occasionId: string) {
    await this.mayOpen(user, occasionId)
    const occasion = await this.occasion(occasionId)
    const [judges, criteria, all, mine] = await Promise.all([
      judging.listJudges(this.db, occasionId),
      judging.listCriteria(this.db, occasionId),
      repo.listOccasionPosters(this.db, occasionId),
      judging.scoresOf(this.db, occasionId, user.id),
    ])
    const posters: Poster[] = all.filter((p) => this.posters.accessFor(user, p, false).listed)
    const myScores: Record<string, Record<string, number>> = {}
    for (const s of mine) (myScores[s.itemId] ??= {})[s.criterionId] = s.score
    const isJudge = judges.some((j) => j.userId === user.id)
    const closed = this.isClosed(occasion)
    return {
      occasion,
      judges,
      criteria,
      posters,
      myScores,
      isJudge,
      canManage: isSteeringGroup(user),
      canScore: isJudge && !closed && criteria.length > 0,
      closed,
      results: closed ? await this.results(occasionId) : null,
    }
  }

  private async audit(
    trx: Parameters<typeof writeAudit>[0],
    user: CurrentUser,
    action: string,
    occasionId: string,
    after: Record<string, unknown>,
    ip?: string,
  ) {
    await writeAudit(trx, this.now(), {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action,
      entityType: 'showcase_occasion',
      entityId: occasionId,
      ip,
      after,
    })
  }

  private manage(user: CurrentUser) {
    if (!isSteeringGroup(user)) throw new ForbiddenError('Only the Steering Group names judges and criteria')
  }

  async addJudge(user: CurrentUser, occasionId: string, email: string, ip?: string): Promise<string> {
    this.manage(user)
    await this.occasion(occasionId)
    const person = await findPersonByEmail(this.db, email)
    if (!person) throw new ValidationError({ email: 'No member has this e-mail address' })
    await this.db.transaction().execute(async (trx) => {
      if (await judging.addJudge(trx, occasionId, person.id))
        await this.audit(trx, user, 'showcase.judge_add', occasionId, { judge: person.id }, ip)
    })
    return person.name
  }

  async removeJudge(user: CurrentUser, occasionId: string, judgeId: string, ip?: string): Promise<void> {
    this.manage(user)
    await this.occasion(occasionId)
    await this.db.transaction().execute(async (trx) => {
      if (!(await judging.removeJudge(trx, occasionId, judgeId))) throw new NotFoundError()
      await this.audit(trx, user, 'showcase.judge_remove', occasionId, { judge: judgeId }, ip)
    })
  }

  async addCriterion(user: CurrentUser, occasionId: string, input: CriterionInput, ip?: string) {
    this.manage(user)
    const occasion = await this.occasion(occasionId)
    if (this.isClosed(occasion))
      throw new ValidationError({ name: 'This occasion is closed: its criteria can no longer change' })
    const existing = await judging.listCriteria(this.db, occasionId)
    if (existing.some((c) => c.name.toLowerCase() === input.name.toLowerCase()))
      throw new ValidationError({ name: `There is already a criterion called ${input.name}` })
    if (existing.length >= 12) throw new ValidationError({ name: 'An occasion has at most 12 criteria' })
    const id = newId()
    await this.db.transaction().execute(async (trx) => {
      await judging.insertCriterion(trx, { id, occasionId, name: input.name, maxScore: input.maxScore })
      await this.audit(
        trx,
        user,
        'showcase.criterion_add',
        occasionId,
        { criterion: id, maxScore: input.maxScore },
        ip,
      )
    })
    return id
  }

  async removeCriterion(user: CurrentUser, occasionId: string, criterionId: string, ip?: string) {
    this.manage(user)
    const occasion = await this.occasion(occasionId)
    if (this.isClosed(occasion))
      throw new ValidationError({ name: 'This occasion is closed: its criteria can no longer change' })
    await this.db.transaction().execute(async (trx) => {
      if (!(await judging.deleteCriterion(trx, occasionId, criterionId))) throw new NotFoundError()
      await this.audit(trx, user, 'showcase.criterion_remove', occasionId, { criterion: criterionId }, ip)
    })
  }

  /** A judge's scores for one poster, every criterion at once; refused after the close. */
  async score(
    user: CurrentUser,
    occasionId: string,
    itemId: string,
    values: Record<string, string | undefined>,
    ip?: string,
  ): Promise<string> {
    const occasion = await this.occasion(occasionId)
    if (!(await judging.isJudge(this.db, occasionId, user.id)))
      throw new ForbiddenError('Only this occasion’s judges can score its posters')
    const poster = await repo.findPoster(this.db, itemId)
    if (!poster || poster.occasionId !== occasionId) throw new NotFoundError()
    const field = (criterionId: string) => `score-${itemId}-${criterionId}`
    if (this.isClosed(occasion))
      throw new ValidationError({ form: 'Judging has closed: these scores were not saved' })
    if (!this.posters.accessFor(user, poster, false).listed)
      throw new ValidationError({ form: 'This poster has been withdrawn: it can no longer be scored' })
    const criteria = await judging.listCriteria(this.db, occasionId)
    const errors: Record<string, string> = {}
    const scores: { criterionId: string; score: number }[] = []
    for (const c of criteria) {
      const raw = (values[field(c.id)] ?? '').trim()
      if (raw === '') continue
      const n = Number(raw)
      if (!/^\d{1,3}$/.test(raw) || n > c.maxScore)
        errors[field(c.id)] = `${c.name} must be a whole number from 0 to ${c.maxScore}`
      else scores.push({ criterionId: c.id, score: n })
    }
    if (Object.keys(errors).length) throw new ValidationError(errors)
    if (scores.length === 0)
      throw new ValidationError({
        [field(criteria[0]?.id ?? 'none')]: `Give ${poster.title} at least one score`,
      })
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      for (const s of scores)
        await judging.upsertScore(trx, { id: newId(), occasionId, judgeId: user.id, itemId, at: now, ...s })
      await this.audit(trx, user, 'showcase.score', occasionId, { item: itemId, criteria: scores.length }, ip)
    })
    return poster.title
  }

  /** The panel's results: each published poster's mean total over the judges who scored it. */
  async results(occasionId: string) {
    const [criteria, totals] = await Promise.all([
      judging.listCriteria(this.db, occasionId),
      judging.scoreTotals(this.db, occasionId),
    ])
    const outOf = criteria.reduce((sum, c) => sum + c.maxScore, 0)
    return {
      outOf,
      rows: totals
        .map((t) => ({ itemId: t.itemId, title: t.title, judges: t.judges, mean: t.sum / t.judges }))
        .sort((a, b) => b.mean - a.mean || a.title.localeCompare(b.title)),
    }
  }
}
