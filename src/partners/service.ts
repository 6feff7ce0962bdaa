import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../core/identity.js'
import { actorLabel, isPlatformAdmin } from '../core/identity.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { csvFile } from '../core/csv.js'
import { londonToday } from '../core/dates.js'
import { writeAudit } from '../audit/service.js'
import type { ProjectServices } from '../projects/index.js'
import type { MeasureService } from '../measures/service.js'
import type { ImprovementServices } from '../improvement/index.js'
import { canManageInvolvement, canSetReadingAge, isImprovementPartner } from './policy.js'
import { readability, readingAgeYears } from './readability.js'
import type { InvolvementInput, YouSaidInput } from './forms.js'
import * as repo from './repository.js'

export interface PartnerDeps {
  db: Kysely<DB>
  clock: () => Date
  projects: ProjectServices
  measures: MeasureService
  improvement: ImprovementServices
}

/** The charts the plain view draws: the first few measures with data. */
const MAX_CHARTS = 3

const CYCLE_OUTCOME: Record<string, string> = {
  adopt: 'we kept it',
  adapt: 'we changed it',
  abandon: 'we stopped it',
}
const IDEA_OUTCOME: Record<string, string> = {
  idea: 'We have not tried this yet.',
  testing: 'We are trying this now.',
  adopted: 'We kept it.',
  abandoned: 'We stopped it.',
}

/** A reading-age check of one text: advice only (the warning never blocks saving). */
export interface ReadingCheck {
  age: number
  tooHard: boolean
}

/** Pounds and pence for people: 1250 → "£12.50". */
export function pounds(pence: number): string {
  return `£${(pence / 100).toFixed(2)}`
}

/**
 * Improvement partners (issue 13 point 1, DOMAIN I1 and I2): the plain-English project view,
 * "you said, we did", the reading-age check and setting, and the involvement log.
 */
export class PartnerService {
  constructor(private readonly deps: PartnerDeps) {}

  private get db() {
    return this.deps.db
  }

  private now() {
    return this.deps.clock().toISOString()
  }

  /** The reading-age check of a text against the Steering Group's level, or null without words. */
  check(text: string, maxAge: number): ReadingCheck | null {
    const r = readability(text)
    if (!r) return null
    const age = readingAgeYears(r)
    return { age, tooHard: age > maxAge }
  }

  async maxReadingAge(): Promise<number> {
    return repo.findMaxReadingAge(this.db)
  }

  requireSteering(user: CurrentUser): void {
    if (!canSetReadingAge(user)) throw new ForbiddenError('Only the Steering Group can change this setting')
  }

  async setMaxReadingAge(user: CurrentUser, age: number, ip?: string): Promise<void> {
    this.requireSteering(user)
    const at = this.now()
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findMaxReadingAge(trx)
      await repo.saveMaxReadingAge(trx, age, user.id, at)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'partners.settings_update',
        entityType: 'partner_settings',
        entityId: null,
        ip,
        before: { maxReadingAge: before },
        after: { maxReadingAge: age },
      })
    })
  }

  // ----- the plain-English view -----

  /** Everything the plain-English page shows; anyone who may view the project may read it. */
  async plainView(user: CurrentUser | null, projectId: string) {
    const overview = await this.deps.projects.projects.overview(user, projectId)
    const { improvement, measures } = this.deps
    const [ideas, pdsa, measureList, youSaid, maxAge] = await Promise.all([
      improvement.drivers.listChangeIdeas(user, projectId),
      improvement.pdsa.list(user, projectId),
      measures.listForProject(user, projectId),
      repo.listYouSaid(this.db, projectId),
      repo.findMaxReadingAge(this.db),
    ])
    const tried = ideas.map((idea) => ({
      title: idea.title,
      description: idea.description,
      outcome: IDEA_OUTCOME[idea.status] ?? '',
      cycles: pdsa.cycles
        .filter((c) => c.changeIdeaId === idea.id)
        .map((c) => ({
          title: c.title,
          outcome: c.decision ? CYCLE_OUTCOME[c.decision] : 'we are still finding out if it helps',
        })),
    }))
    const withData = measureList.items.filter((i) => i.summary && i.summary.points > 0).slice(0, MAX_CHARTS)
    const charts = await Promise.all(
      withData.map(async (i) => {
        const page = await measures.page(user, i.measure.id, { rows: 24 })
        return { measure: page.measure, chart: page.chart }
      }),
    )
    const editor = overview.access.edit
    const checks = editor
      ? {
          problem: this.check(overview.project.problem, maxAge),
          aim: overview.aim ? this.check(overview.aim.statement, maxAge) : null,
          entries: Object.fromEntries(
            youSaid.map((e) => [e.id, this.check(`${e.youSaid}\n${e.weDid}`, maxAge)]),
          ),
        }
      : null
    return {
      project: overview.project,
      access: overview.access,
      aim: overview.aim,
      team: overview.team,
      tried,
      charts,
      measuresWithoutData: measureList.items.length - withData.length,
      youSaid,
      maxAge,
      checks,
      isLead: canManageInvolvement(user, overview.access.teamRole),
    }
  }

  // ----- "you said, we did" (written by the team) -----

  async requireEdit(user: CurrentUser, projectId: string) {
    return this.deps.projects.projects.load(user, projectId, 'edit')
  }

  async youSaidEntry(user: CurrentUser, projectId: string, entryId: string) {
    const { project } = await this.requireEdit(user, projectId)
    const entry = await repo.findYouSaid(this.db, projectId, entryId)
    if (!entry) throw new NotFoundError()
    return { project, entry }
  }

  async addYouSaid(user: CurrentUser, projectId: string, input: YouSaidInput, ip?: string) {
    await this.requireEdit(user, projectId)
    this.notFuture(input.saidOn, 'saidOn', 'The date')
    const at = this.now()
    const maxAge = await this.maxReadingAge()
    const id = await this.db.transaction().execute(async (trx) => {
      const id = await repo.insertYouSaid(trx, { projectId, ...input, authorId: user.id, at })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'partners.you_said_add',
        entityType: 'partner_you_said',
        entityId: id,
        ip,
        after: { projectId, saidOn: input.saidOn },
      })
      return id
    })
    return { id, check: this.check(`${input.youSaid}\n${input.weDid}`, maxAge) }
  }

  async editYouSaid(user: CurrentUser, projectId: string, entryId: string, input: YouSaidInput, ip?: string) {
    await this.requireEdit(user, projectId)
    this.notFuture(input.saidOn, 'saidOn', 'The date')
    const at = this.now()
    const maxAge = await this.maxReadingAge()
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findYouSaid(trx, projectId, entryId)
      if (!before) throw new NotFoundError()
      await repo.updateYouSaid(trx, projectId, entryId, { ...input, at })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'partners.you_said_edit',
        entityType: 'partner_you_said',
        entityId: entryId,
        ip,
        before: { projectId, saidOn: before.saidOn },
        after: { projectId, saidOn: input.saidOn },
      })
    })
    return { check: this.check(`${input.youSaid}\n${input.weDid}`, maxAge) }
  }

  private notFuture(date: string, field: string, label: string) {
    if (date > londonToday(this.deps.clock()))
      throw new ValidationError({ [field]: `${label} must be today or in the past` })
  }

  // ----- the involvement log (the partner's own; the project's leads approve and pay) -----

  requirePartner(user: CurrentUser): void {
    if (!isImprovementPartner(user))
      throw new ForbiddenError('Only improvement partners keep an involvement log')
  }

  /** The projects a partner may log time against: those whose team they are on. */
  async partnerProjects(user: CurrentUser) {
    const { items } = await this.deps.projects.projects.list(user, { mine: true, page: 1, pageSize: 100 })
    return items.map((p) => ({ id: p.id, title: p.title }))
  }

  async myInvolvement(user: CurrentUser) {
    this.requirePartner(user)
    const [entries, projects] = await Promise.all([
      repo.listInvolvement(this.db, { partnerId: user.id }),
      this.partnerProjects(user),
    ])
    const title = new Map(projects.map((p) => [p.id, p.title]))
    return {
      projects,
      entries: entries.map((e) => ({
        ...e,
        projectTitle: title.get(e.projectId) ?? 'A project you have left',
      })),
      totals: totals(entries),
    }
  }

  async addInvolvement(user: CurrentUser, input: InvolvementInput, ip?: string): Promise<string> {
    this.requirePartner(user)
    const onTeam = await this.deps.projects.projects
      .load(user, input.projectId, 'view')
      .then(({ access }) => access.isTeam)
      .catch((error: unknown) => {
        if (error instanceof NotFoundError || error instanceof ForbiddenError) return false
        throw error
      })
    if (!onTeam) throw new ValidationError({ projectId: 'Choose a project whose team you are on' })
    this.notFuture(input.involvedOn, 'involvedOn', 'The date you took part')
    if (input.sessions === 0 && input.hours === 0 && input.expenses === 0)
      throw new ValidationError({
        sessions: 'Enter the sessions you attended, the time you gave or your expenses',
      })
    const at = this.now()
    return this.db.transaction().execute(async (trx) => {
      const id = await repo.insertInvolvement(trx, {
        projectId: input.projectId,
        partnerId: user.id,
        involvedOn: input.involvedOn,
        sessions: input.sessions,
        minutes: input.hours,
        whatFor: input.whatFor,
        expensesPence: input.expenses,
        at,
      })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'partners.involvement_add',
        entityType: 'partner_involvement',
        entityId: id,
        ip,
        after: {
          projectId: input.projectId,
          involvedOn: input.involvedOn,
          sessions: input.sessions,
          minutes: input.hours,
          expensesPence: input.expenses,
          status: 'claimed',
        },
      })
      return id
    })
  }

  /** A project's leads (and platform admins) only; others who may see the project are refused. */
  async requireLead(user: CurrentUser, projectId: string) {
    const { project, access } = await this.deps.projects.projects.load(user, projectId, 'view')
    if (!canManageInvolvement(user, access.teamRole))
      throw new ForbiddenError("Only the project's leads can see its partners' involvement")
    return project
  }

  async projectInvolvement(user: CurrentUser, projectId: string) {
    const project = await this.requireLead(user, projectId)
    const [entries, team] = await Promise.all([
      repo.listInvolvement(this.db, { projectId }),
      this.deps.projects.team.team(user, projectId).then((t) => t.team),
    ])
    const name = new Map(team.map((m) => [m.userId, m.name]))
    return {
      project,
      entries: entries.map((e) => ({ ...e, partnerName: name.get(e.partnerId) ?? 'A former team member' })),
      totals: totals(entries),
    }
  }

  async setInvolvementStatus(
    user: CurrentUser,
    projectId: string,
    entryId: string,
    status: 'approved' | 'paid',
    ip?: string,
  ): Promise<void> {
    await this.requireLead(user, projectId)
    const at = this.now()
    await this.db.transaction().execute(async (trx) => {
      const entry = await repo.findInvolvement(trx, entryId)
      if (!entry || entry.projectId !== projectId) throw new NotFoundError()
      const from = status === 'approved' ? 'claimed' : 'approved'
      if (entry.status !== from)
        throw new ConflictError(
          status === 'approved'
            ? 'This entry has already been approved'
            : 'Only an approved entry can be marked as paid',
        )
      if (!(await repo.setInvolvementStatus(trx, entryId, from, status, user.id, at)))
        throw new ConflictError('Someone else changed this entry. Refresh the page')
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'partners.involvement_status',
        entityType: 'partner_involvement',
        entityId: entryId,
        ip,
        before: { status: entry.status, expensesPence: entry.expensesPence },
        after: { status, expensesPence: entry.expensesPence },
      })
    })
  }

  /** The project's involvement as CSV for finance; the export is audited. */
  async involvementCsv(user: CurrentUser, projectId: string, ip?: string) {
    const { project, entries } = await this.projectInvolvement(user, projectId)
    const at = this.now()
    await writeAudit(this.db, at, {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action: 'partners.involvement_export',
      entityType: 'project',
      entityId: projectId,
      ip,
      after: { rows: entries.length, admin: isPlatformAdmin(user) },
    })
    const body = csvFile(
      ['Date', 'Partner', 'Project', 'Sessions', 'Minutes', 'What for', 'Expenses (£)', 'Status'],
      entries.map((e) => [
        e.involvedOn,
        e.partnerName,
        project.title,
        e.sessions,
        e.minutes,
        e.whatFor,
        (e.expensesPence / 100).toFixed(2),
        e.status,
      ]),
    )
    return { filename: `involvement-${projectId}.csv`, body }
  }
}

function totals(entries: repo.Involvement[]) {
  return {
    sessions: entries.reduce((n, e) => n + e.sessions, 0),
    minutes: entries.reduce((n, e) => n + e.minutes, 0),
    claimedPence: entries.reduce((n, e) => n + e.expensesPence, 0),
    paidPence: entries.filter((e) => e.status === 'paid').reduce((n, e) => n + e.expensesPence, 0),
  }
}
