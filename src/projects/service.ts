import { writeAudit } from '../audit/service.js'
import { poolFor, type ReadFrom } from '../db/database.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../core/errors.js'
import { forViewer, listActivity, type ActivityItem } from './activity.js'
import { loadProject, requireProjectAccess } from './access.js'
import { ProjectContentService } from './content-service.js'
import { conflict, logChange, searchTextFor, type ProjectDeps } from './context.js'
import type { AimInput, DetailsInput, NewProjectInput, ProgressInput, ResearchInput } from './forms.js'
import { availableActions, QSIR_STAGES, type ProjectAction } from './lifecycle.js'
import type { ProjectAccess } from './policy.js'
import * as repo from './repository.js'
import * as aimRepo from './aim-repository.js'
import * as searchRepo from './search-repository.js'
import * as portfolioRepo from './portfolio-repository.js'
import * as teamRepo from './team-repository.js'
import * as similarRepo from './similar-repository.js'
import type { Project, ProjectSummary } from './repository.js'
import type { Aim, ProgressScore } from './aim-repository.js'
import type { ProjectFacetFilters, ProjectFilters } from './search-repository.js'
import type { TeamMember } from './team-repository.js'

export interface ProjectOverview {
  project: Project
  access: ProjectAccess
  organisations: { id: string; name: string }[]
  team: TeamMember[]
  aimCodes: { code: string; text: string }[]
  priorities: { id: string; name: string }[]
  aim: Aim | null
  scores: ProgressScore[]
  activity: ActivityItem[]
  actions: ProjectAction[]
  /** Public in the settings, waiting for a coach's approval. */
  publicPending: boolean
}

/**
 * Projects: creating, reading, the list, details and deleting; the aim, progress score and
 * research check are ProjectContentService's (content-service.ts), reached through this face.
 */
export class ProjectService {
  private readonly content: ProjectContentService

  constructor(private readonly deps: ProjectDeps) {
    this.content = new ProjectContentService(deps)
  }

  private get db() {
    return this.deps.db
  }

  private now(): string {
    return this.deps.clock().toISOString()
  }

  async create(user: CurrentUser, input: NewProjectInput, ip?: string): Promise<string> {
    if (!user.emailVerified)
      throw new ForbiddenError('Confirm your e-mail address before you start a project')
    const id = newId()
    const now = this.now()
    const organisationIds = [...new Set(input.organisationIds)]
    await this.db.transaction().execute(async (trx) => {
      if ((await repo.countExisting(trx, 'organisations', organisationIds)) !== organisationIds.length) {
        throw new ValidationError({ organisationIds: 'Select organisations from the list' })
      }
      await repo.insertProjectRow(trx, {
        id,
        title: input.title,
        problem: input.problem,
        createdBy: user.id,
        now,
        searchText: searchTextFor(input),
      })
      await repo.replaceOrganisations(trx, id, organisationIds)
      await teamRepo.insertMember(trx, { projectId: id, userId: user.id, role: 'lead', at: now, by: user.id })
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.create',
        summary: `Started the project as a private draft`,
        ip,
        after: { title: input.title, problem: input.problem, organisationIds },
      })
    })
    return id
  }

  async overview(user: CurrentUser | null, id: string): Promise<ProjectOverview> {
    const { access } = await requireProjectAccess(this.db, user, id, 'view')
    const project = await repo.findProject(this.db, id)
    if (!project) throw new NotFoundError()
    const [organisations, team, aimCodes, priorities, aim, scores, activity] = await Promise.all([
      repo.listProjectOrganisations(this.db, id),
      teamRepo.listTeam(this.db, id),
      repo.listProjectAimCodes(this.db, id),
      repo.listProjectPriorities(this.db, id),
      aimRepo.findCurrentAim(this.db, id),
      aimRepo.listProgressScores(this.db, id),
      listActivity(this.db, id, { limit: 8 }),
    ])
    return {
      project,
      access,
      organisations,
      team,
      aimCodes,
      priorities,
      aim,
      scores,
      activity: forViewer(activity, access),
      actions: availableActions(project.status, access),
      publicPending: project.visibility === 'public' && !project.publicApprovedAt,
    }
  }

  /** The project and the user's access, insisting on `need` (for pages inside a project). */
  async load(
    user: CurrentUser | null,
    id: string,
    need: 'view' | 'edit' | 'manage' | 'approve' | 'delete' | 'comment' = 'view',
  ) {
    return loadProject(this.db, user, id, need)
  }

  /** The list and its search, from the replica unless `from` is the primary (the same query either way). */
  async list(
    user: CurrentUser | null,
    filters: Omit<ProjectFilters, 'memberId'> & { mine?: boolean },
    from: ReadFrom = 'primary',
  ): Promise<{ items: ProjectSummary[]; total: number; totalIsExact: boolean }> {
    if (filters.mine && !user) throw new UnauthenticatedError()
    return searchRepo.searchProjects(poolFor(this.db, this.deps.reader, from), user, {
      ...filters,
      memberId: filters.mine ? user!.id : undefined,
    })
  }

  /** The projects this user is on the team of, most recently active first: ids, titles, last activity. */
  memberProjects(user: CurrentUser, limit: number) {
    return searchRepo.listMemberProjects(this.db, user, limit)
  }

  /** Projects this user may see sharing a word, an aim code or the programme (similar-repository.ts). */
  async similarCandidates(
    user: CurrentUser | null,
    f: { words: string[]; aimCodes: string[]; programmeId: string | null; excludeId?: string },
    limit = 300,
  ) {
    return similarRepo.similarCandidates(this.db, user, f, limit)
  }

  /** What a project's "similar projects" starts from, once the viewer may see it (404/403 otherwise). */
  async similarProfile(user: CurrentUser | null, id: string) {
    // The right to see it, not the project itself: the profile reads what it needs.
    await requireProjectAccess(this.db, user, id, 'view')
    return similarRepo.similarProfile(this.db, id)
  }

  /**
   * For the archive of finished projects: aim, lessons and when each finished. The caller passes ids
   * from `list` (the projects this viewer may see), so nothing here decides who sees what.
   */
  async finishedDetails(projectIds: readonly string[]) {
    return aimRepo.finishedDetails(this.db, projectIds)
  }

  async filterOptions(from: ReadFrom = 'primary') {
    return searchRepo.filterOptionLists(poolFor(this.db, this.deps.reader, from))
  }

  // ----- the Steering Group's portfolio (portfolio-repository.ts): figures over what this person may see -----

  /** Projects by status, organisation, programme, priority, aim, QSIR stage and score, and with partners. */
  portfolioCounts(user: CurrentUser, filters: ProjectFacetFilters) {
    return portfolioRepo.portfolioCounts(this.db, user, filters)
  }

  /** Open projects among the filtered ones whose current stage began before `before` (ISO). */
  stallCandidates(user: CurrentUser, filters: ProjectFacetFilters, before: string) {
    return portfolioRepo.stallCandidates(this.db, user, filters, before)
  }

  /** The filtered projects this person may see: ids and statuses. */
  portfolioIds(user: CurrentUser, filters: ProjectFacetFilters) {
    return portfolioRepo.portfolioIds(this.db, user, filters)
  }

  /** Ids of the projects among `ids` this person may see. */
  visibleIds(user: CurrentUser | null, ids: string[]) {
    return searchRepo.visibleIds(this.db, user, ids)
  }

  /** The ids of every project this person may see, as a subquery (the SQL twin of projectAccess's view; site search). */
  visibleIdsQuery(user: CurrentUser | null) {
    return searchRepo.visibleIdsQuery(this.db, user)
  }

  /** Titles of these projects (for a list another feature already limited to what its reader may see). */
  titles(ids: string[]) {
    return portfolioRepo.projectTitles(this.db, ids)
  }

  async detailsForEdit(user: CurrentUser | null, id: string) {
    const { project, access } = await this.load(user, id, 'edit')
    const [organisations, aimCodes, priorities] = await Promise.all([
      repo.listProjectOrganisations(this.db, id),
      repo.listProjectAimCodes(this.db, id),
      repo.listProjectPriorities(this.db, id),
    ])
    return {
      project,
      access,
      values: {
        title: project.title,
        problem: project.problem,
        organisationIds: organisations.map((o) => o.id),
        programmeId: project.programmeId ?? '',
        priorityIds: priorities.map((p) => p.id),
        aimCodes: aimCodes.map((a) => a.code),
        qsirStage: project.qsirStage,
        version: project.version,
      },
    }
  }

  async updateDetails(user: CurrentUser, id: string, input: DetailsInput, ip?: string): Promise<void> {
    const now = this.now()
    const organisationIds = [...new Set(input.organisationIds)]
    const priorityIds = [...new Set(input.priorityIds)]
    const aimCodes = [...new Set(input.aimCodes)]
    await this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'edit')
      const before = await repo.findProject(trx, id)
      if (!before) throw new NotFoundError()
      if (before.version !== input.version) throw conflict()
      if ((await repo.countExisting(trx, 'organisations', organisationIds)) !== organisationIds.length) {
        throw new ValidationError({ organisationIds: 'Select organisations from the list' })
      }
      if (input.programmeId && (await repo.countExisting(trx, 'programmes', [input.programmeId])) !== 1) {
        throw new ValidationError({ programmeId: 'Select a programme from the list' })
      }
      if ((await repo.countExisting(trx, 'system_priorities', priorityIds)) !== priorityIds.length) {
        throw new ValidationError({ priorityIds: 'Select system priorities from the list' })
      }
      if ((await repo.countExistingAims(trx, aimCodes)) !== aimCodes.length) {
        throw new ValidationError({ aimCodes: 'Select aims from the list' })
      }
      const aim = await aimRepo.findCurrentAim(trx, id)
      const saved = await repo.updateProjectRow(
        trx,
        id,
        input.version,
        {
          title: input.title,
          problem: input.problem,
          programme_id: input.programmeId || null,
          qsir_stage: input.qsirStage,
          search_text: searchTextFor({ title: input.title, problem: input.problem, aim: aim?.statement }),
        },
        now,
      )
      if (!saved) throw conflict()
      await repo.replaceOrganisations(trx, id, organisationIds)
      await repo.replacePriorities(trx, id, priorityIds)
      await repo.replaceAimCodes(trx, id, aimCodes)
      const stageChanged = before.qsirStage !== input.qsirStage
      await logChange(trx, now, user, {
        projectId: id,
        action: 'project.update_details',
        summary: stageChanged
          ? `Updated the project's details (QSIR stage: ${QSIR_STAGES[input.qsirStage]})`
          : "Updated the project's details",
        ip,
        before: {
          title: before.title,
          problem: before.problem,
          programmeId: before.programmeId,
          qsirStage: before.qsirStage,
        },
        after: {
          title: input.title,
          problem: input.problem,
          programmeId: input.programmeId || null,
          qsirStage: input.qsirStage,
          organisationIds,
          priorityIds,
          aimCodes,
        },
      })
    })
  }

  async deleteProject(user: CurrentUser, id: string, version: number, ip?: string): Promise<string> {
    const now = this.now()
    return this.db.transaction().execute(async (trx) => {
      await requireProjectAccess(trx, user, id, 'delete')
      const before = await repo.findProject(trx, id)
      if (!before) throw new NotFoundError()
      if (before.version !== version) throw conflict()
      await repo.deleteProjectRow(trx, id)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'project.delete',
        entityType: 'project',
        entityId: id,
        ip,
        before: { title: before.title, status: before.status, visibility: before.visibility },
      })
      return before.title
    })
  }

  async activity(user: CurrentUser | null, id: string, page: { limit: number; offset: number }) {
    const { project, access } = await this.load(user, id, 'view')
    return { project, access, items: forViewer(await listActivity(this.db, id, page), access) }
  }

  /** The projects where this person is the team's QI coach (their caseload), by title. */
  async coachedBy(user: CurrentUser) {
    return teamRepo.listCoachedProjects(this.db, user.id)
  }

  // ----- aim, progress score and the QI-or-research check (content-service.ts) -----

  aim(user: CurrentUser | null, id: string) {
    return this.content.aim(user, id)
  }

  aimHistory(user: CurrentUser | null, id: string) {
    return this.content.aimHistory(user, id)
  }

  saveAim(user: CurrentUser, id: string, input: AimInput, ip?: string): Promise<number> {
    return this.content.saveAim(user, id, input, ip)
  }

  progress(user: CurrentUser | null, id: string) {
    return this.content.progress(user, id)
  }

  setProgress(user: CurrentUser, id: string, input: ProgressInput, ip?: string): Promise<void> {
    return this.content.setProgress(user, id, input, ip)
  }

  setResearch(user: CurrentUser, id: string, input: ResearchInput, ip?: string): Promise<void> {
    return this.content.setResearch(user, id, input, ip)
  }
}

// Where the routes and the demo data have always found them.
export { composeAimStatement, PROGRESS_ITEMS } from './content-service.js'
