import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { writeAudit } from '../../audit/service.js'
import { actorLabel, type CurrentUser } from '../../core/identity.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js'
import type { ProjectService } from '../../projects/service.js'
import { componentMeans, IMPACT_AREAS, IMPACT_COMPONENTS, isArea, LEVEL_NAMES } from './framework.js'
import { canAssess, canSeeAssessment, canUseImpact, isBoardOrSteering } from './policy.js'
import * as repo from './repository.js'
import type { Assessment, Rating } from './repository.js'

/** What the self-assessment needs of the learning and facilitation features: a course and a programme a person may see. */
export interface ImpactLinkSources {
  courses: { coursePage(user: CurrentUser | null, slug: string): Promise<{ course: { title: string } }> }
  programmes: { find(slug: string): Promise<{ name: string }> }
}

export const IMPACT_PATH = '/steering-group/impact'
export const SYSTEM = 'system'
export type LinkType = 'project' | 'course' | 'programme'

const day = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
export const periodWords = (period: string) => day.format(new Date(`${period}T00:00:00Z`))

/**
 * The NHS IMPACT self-assessment (issue 12 point 6): the system's (Steering Group, Board) and each
 * organisation's (its admins; private to it until shared at system level), repeated over time
 * and shown as a trend per component; actions per area, linked to projects, courses or
 * programmes the person may see. Every write is one transaction with its audit entry.
 */
export class ImpactService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly deps: { projects: ProjectService; links: ImpactLinkSources },
  ) {}

  requireUser(user: CurrentUser): void {
    if (!canUseImpact(user))
      throw new ForbiddenError(
        'Only the Steering Group, the Board and organisation administrators use the IMPACT self-assessment',
      )
  }

  /** The assessment, if this person may see it (else 404: an organisation's is private to it). */
  async load(user: CurrentUser, id: string): Promise<Assessment> {
    this.requireUser(user)
    const a = await repo.findAssessment(this.db, id)
    if (!a || !canSeeAssessment(user, a)) throw new NotFoundError('There is no such self-assessment')
    return a
  }

  /** The assessment, if this person may fill it in (seeing a shared one is not enough: 403). */
  async loadForEdit(user: CurrentUser, id: string): Promise<Assessment> {
    const a = await this.load(user, id)
    if (!canAssess(user, a.organisationId))
      throw new ForbiddenError('Only the organisation that owns this self-assessment changes it')
    return a
  }

  private async organisations(): Promise<Map<string, string>> {
    const lists = await this.deps.projects.filterOptions()
    return new Map(lists.organisations.map((o) => [o.id, o.name]))
  }

  /** What this person may assess: the system (Board, Steering Group) and the organisations they run. */
  async scopes(user: CurrentUser): Promise<{ value: string; text: string }[]> {
    this.requireUser(user)
    const orgs = await this.organisations()
    return [
      ...(canAssess(user, null) ? [{ value: SYSTEM, text: 'The whole system' }] : []),
      ...[...orgs].filter(([id]) => canAssess(user, id)).map(([value, text]) => ({ value, text })),
    ]
  }

  /** The assessments this person may see, grouped by scope (the system first), each with its trend. */
  async list(user: CurrentUser) {
    this.requireUser(user)
    const [all, orgs] = await Promise.all([repo.listAssessments(this.db), this.organisations()])
    const visible = all.filter((a) => canSeeAssessment(user, a))
    const ratings = await repo.listRatings(
      this.db,
      visible.map((a) => a.id),
    )
    const keys = [...new Set(visible.map((a) => a.organisationId ?? SYSTEM))]
    if (isBoardOrSteering(user) && !keys.includes(SYSTEM)) keys.unshift(SYSTEM)
    const name = (key: string) => (key === SYSTEM ? 'The whole system' : (orgs.get(key) ?? key))
    keys.sort((a, b) => (a === SYSTEM ? -1 : b === SYSTEM ? 1 : name(a).localeCompare(name(b))))
    return keys.map((key) => {
      const mine = visible.filter((a) => (a.organisationId ?? SYSTEM) === key)
      return {
        key,
        name: name(key),
        assessments: mine
          .slice()
          .reverse()
          .map((a) => ({
            ...this.summary(a),
            assessed: (ratings.get(a.id) ?? []).filter((r) => r.level !== null).length,
          })),
        trend: this.trend(mine, ratings),
      }
    })
  }

  private summary(a: Assessment) {
    return {
      id: a.id,
      href: `${IMPACT_PATH}/${a.id}`,
      period: a.period,
      periodText: periodWords(a.period),
      status: a.status,
      statusText: a.status === 'complete' ? 'Complete' : 'Draft',
      shared: a.shared,
    }
  }

  /** The mean level per component over the completed assessments, oldest first. */
  private trend(assessments: Assessment[], ratings: Map<string, Rating[]>) {
    const rows = assessments
      .filter((a) => a.status === 'complete')
      .map((a) => {
        const levels = Object.fromEntries((ratings.get(a.id) ?? []).map((r) => [r.area, r.level]))
        const means = componentMeans(levels)
        return {
          period: a.period,
          periodText: periodWords(a.period),
          cells: IMPACT_COMPONENTS.map((c) => means[c.id]),
        }
      })
    return { components: IMPACT_COMPONENTS.map((c) => ({ id: c.id, name: c.name })), rows }
  }

  async create(user: CurrentUser, input: { scope: string; period: string }, ip?: string): Promise<string> {
    this.requireUser(user)
    const orgs = await this.organisations()
    const organisationId = input.scope === SYSTEM ? null : input.scope
    if (organisationId !== null && !orgs.has(organisationId))
      throw new ValidationError({ scope: 'Choose the system or an organisation from the list' })
    if (!canAssess(user, organisationId))
      throw new ValidationError({
        scope:
          organisationId === null
            ? 'Only the Steering Group and the Board assess the whole system'
            : 'You can assess only an organisation you administer',
      })
    const at = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const id = await repo.insertAssessment(trx, { organisationId, period: input.period, by: user.id, at })
      await this.audit(trx, user, at, 'governance.impact_created', id, ip, undefined, {
        organisationId,
        period: input.period,
        status: 'draft',
      })
      return id
    })
  }

  /** Everything the assessment's page shows. */
  async view(user: CurrentUser, id: string) {
    const a = await this.load(user, id)
    const [ratings, actions, orgs, all] = await Promise.all([
      repo.listRatings(this.db, [id]),
      repo.listActions(this.db, id),
      this.organisations(),
      repo.listAssessments(this.db),
    ])
    const byArea = new Map((ratings.get(id) ?? []).map((r) => [r.area, r]))
    const scope = all.filter((x) => x.organisationId === a.organisationId && canSeeAssessment(user, x))
    const scopeRatings = await repo.listRatings(
      this.db,
      scope.map((x) => x.id),
    )
    const means = componentMeans(Object.fromEntries([...byArea].map(([k, r]) => [k, r.level])))
    return {
      assessment: this.summary(a),
      scopeName:
        a.organisationId === null ? 'The whole system' : (orgs.get(a.organisationId) ?? a.organisationId),
      isSystem: a.organisationId === null,
      canEdit: canAssess(user, a.organisationId),
      editable: a.status === 'draft' && canAssess(user, a.organisationId),
      components: IMPACT_COMPONENTS.map((c) => ({
        ...c,
        mean: means[c.id],
        areas: c.areas.map((area) => {
          const r = byArea.get(area.id)
          return {
            ...area,
            level: r?.level ?? null,
            levelText: r?.level
              ? `${r.level} – ${LEVEL_NAMES[r.level - 1]}: ${area.levels[r.level - 1]}`
              : 'Not assessed',
            note: r?.note ?? '',
            actions: actions.filter((x) => x.area === area.id).length,
          }
        }),
      })),
      actionCount: actions.length,
      trend: this.trend(scope, scopeRatings),
    }
  }

  async save(
    user: CurrentUser,
    id: string,
    input: { period: string; levels: Record<string, number | null>; notes: Record<string, string> },
    ip?: string,
  ): Promise<void> {
    const a = await this.loadForEdit(user, id)
    if (a.status !== 'draft')
      throw new ValidationError({ status: 'This self-assessment is complete: it can no longer be changed' })
    const unknown = Object.keys(input.levels).filter((k) => !isArea(k))
    if (unknown.length) throw new ValidationError({ levels: 'A question area is not one we know' })
    const ratings = IMPACT_AREAS.map((area) => ({
      area: area.id,
      level: input.levels[area.id] ?? null,
      note: input.notes[area.id] || null,
    })).filter((r) => r.level !== null || r.note !== null)
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = (await repo.listRatings(trx, [id])).get(id) ?? []
      await repo.replaceRatings(trx, id, ratings)
      await repo.updateAssessment(trx, id, { period: input.period, at })
      await this.audit(
        trx,
        user,
        at,
        'governance.impact_saved',
        id,
        ip,
        { period: a.period, levels: Object.fromEntries(before.map((r) => [r.area, r.level])) },
        {
          period: input.period,
          levels: Object.fromEntries(ratings.map((r) => [r.area, r.level])),
          notes: ratings.filter((r) => r.note).length,
        },
      )
    })
  }

  async complete(user: CurrentUser, id: string, ip?: string): Promise<void> {
    const a = await this.loadForEdit(user, id)
    if (a.status !== 'draft')
      throw new ValidationError({ status: 'This self-assessment is already complete' })
    const ratings = (await repo.listRatings(this.db, [id])).get(id) ?? []
    if (!ratings.some((r) => r.level !== null))
      throw new ValidationError({ status: 'Give a maturity level for at least one question area first' })
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await repo.updateAssessment(trx, id, { status: 'complete', completedAt: at, at })
      await this.audit(
        trx,
        user,
        at,
        'governance.impact_completed',
        id,
        ip,
        { status: 'draft' },
        {
          status: 'complete',
          assessed: ratings.filter((r) => r.level !== null).length,
        },
      )
    })
  }

  async share(user: CurrentUser, id: string, shared: boolean, ip?: string): Promise<void> {
    const a = await this.loadForEdit(user, id)
    if (a.organisationId === null)
      throw new ValidationError({
        shared: 'The system’s own self-assessment is already seen at system level',
      })
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await repo.updateAssessment(trx, id, { shared, at })
      await this.audit(trx, user, at, 'governance.impact_shared', id, ip, { shared: a.shared }, { shared })
    })
  }

  /** The actions page: every area with its actions, each link named as the person may see it. */
  async actions(user: CurrentUser, id: string) {
    const a = await this.load(user, id)
    const actions = await repo.listActions(this.db, id)
    const named = await Promise.all(
      actions.map(async (x) => ({
        ...x,
        link: x.linkType ? await this.linkFor(user, x.linkType, x.linkRef!) : null,
      })),
    )
    return {
      assessment: this.summary(a),
      canEdit: canAssess(user, a.organisationId),
      areaItems: IMPACT_AREAS.map((area) => ({
        value: area.id,
        text: `${area.componentName}: ${area.question}`,
      })),
      components: IMPACT_COMPONENTS.map((c) => ({
        ...c,
        areas: c.areas.map((area) => ({ ...area, actions: named.filter((x) => x.area === area.id) })),
      })),
    }
  }

  /** What a link points at, if this person may see it: null when they may not (or it is gone). */
  private async linkFor(user: CurrentUser, type: LinkType, ref: string) {
    try {
      if (type === 'project') {
        const { project } = await this.deps.projects.load(user, ref, 'view')
        return { href: `/projects/${encodeURIComponent(ref)}`, text: project.title, kind: 'Project' }
      }
      if (type === 'course') {
        const { course } = await this.deps.links.courses.coursePage(user, ref)
        return { href: `/learning/courses/${encodeURIComponent(ref)}`, text: course.title, kind: 'Course' }
      }
      const programme = await this.deps.links.programmes.find(ref)
      return { href: `/programmes/${encodeURIComponent(ref)}`, text: programme.name, kind: 'Programme' }
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ForbiddenError) return null
      throw error
    }
  }

  async addAction(
    user: CurrentUser,
    id: string,
    input: { area: string; text: string; linkType: LinkType | null; linkRef: string },
    ip?: string,
  ): Promise<void> {
    await this.loadForEdit(user, id)
    const errors: Record<string, string> = {}
    if (!isArea(input.area)) errors.area = 'Choose a question area from the list'
    const ref = input.linkRef.trim()
    if (input.linkType && !ref) errors.linkRef = 'Enter the project, course or programme to link to'
    if (!input.linkType && ref)
      errors.linkType = 'Choose what the link points at: a project, a course or a programme'
    if (input.linkType && ref && !(await this.linkFor(user, input.linkType, ref)))
      errors.linkRef = {
        project: 'There is no project with that id that you can see',
        course: 'There is no course with that address that you can see',
        programme: 'There is no programme with that address',
      }[input.linkType]
    if (Object.keys(errors).length) throw new ValidationError(errors)
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const actionId = await repo.insertAction(trx, {
        assessmentId: id,
        area: input.area,
        text: input.text,
        linkType: input.linkType,
        linkRef: input.linkType ? ref : null,
        by: user.id,
        at,
      })
      await this.audit(trx, user, at, 'governance.impact_action', id, ip, undefined, {
        actionId,
        area: input.area,
        linkType: input.linkType,
      })
    })
  }

  async removeAction(user: CurrentUser, id: string, actionId: string, ip?: string): Promise<void> {
    await this.loadForEdit(user, id)
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteAction(trx, id, actionId))) throw new NotFoundError('There is no such action')
      await this.audit(trx, user, at, 'governance.impact_action_removed', id, ip, { actionId }, undefined)
    })
  }

  private async audit(
    trx: Kysely<DB>,
    user: CurrentUser,
    at: string,
    action: string,
    id: string,
    ip: string | undefined,
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown> | undefined,
  ) {
    await writeAudit(trx, at, {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action,
      entityType: 'impact_assessment',
      entityId: id,
      ip,
      before,
      after,
    })
  }
}
