import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { ReportCache } from '../report-cache.js'
import { writeAudit } from '../../audit/service.js'
import { actorLabel, type CurrentUser } from '../../core/identity.js'
import { newId } from '../../core/ids.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js'
import type { PriorityInput } from '../forms.js'
import { canEditProgramme, canManagePriorities, canTriage, leadsProgramme } from '../policy.js'
import {
  deletePriority,
  findPriority,
  findProgrammeBySlug,
  insertPriority,
  listAims,
  listFaculties,
  listPriorities,
  listProgrammeLeads,
  listProgrammeProjects,
  listProgrammes,
  priorityNameTaken,
  updatePriority,
  updateProgrammeDescription,
  type Programme,
  type SystemPriority,
} from './repository.js'
import { listForProgramme, type RequestSummary } from '../support/request-lists.js'
import { STATUS_LABELS } from '../../projects/lifecycle.js'
import type { ProjectStatus } from '../../projects/policy.js'

/** A project linked to a programme: its title, lifecycle status and page. */
export interface LinkedProject {
  title: string
  status: string
  statusText: string
  href: string
}

/** Given a programme id, the projects linked to it that this viewer may see. */
export type LinkedProjectsProvider = (
  programmeId: string,
  viewer: CurrentUser | null,
) => Promise<LinkedProject[]>

/** At most this many projects on a programme's page, the most recently active first. */
export const LINKED_PROJECTS_LIMIT = 50

export interface ProgrammePage {
  programme: Programme
  leads: { id: string; name: string }[]
  projects: LinkedProject[]
  requests: RequestSummary[] | null
  canEdit: boolean
}

/** System programmes and the Steering Group's system priorities. */
export class ProgrammeService {
  /** Projects tagged with the programme (projects.programme_id), filtered by the projects policy. */
  readonly linkedProjects: LinkedProjectsProvider

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly cache: ReportCache = new ReportCache(0),
    linkedProjects?: LinkedProjectsProvider,
  ) {
    this.linkedProjects = linkedProjects ?? ((programmeId, viewer) => this.projectsOf(programmeId, viewer))
  }

  private async projectsOf(programmeId: string, viewer: CurrentUser | null): Promise<LinkedProject[]> {
    const rows = await listProgrammeProjects(this.db, programmeId, viewer, LINKED_PROJECTS_LIMIT)
    return rows.map((p) => ({
      title: p.title,
      status: p.status,
      statusText: STATUS_LABELS[p.status as ProjectStatus] ?? p.status,
      href: `/projects/${encodeURIComponent(p.id)}`,
    }))
  }

  /** Runs a write in a transaction, then drops the cached reports it may change. */
  private async write<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(fn)
    } finally {
      this.cache.invalidate()
    }
  }

  async list(): Promise<Programme[]> {
    return listProgrammes(this.db)
  }

  async page(viewer: CurrentUser | null, slug: string): Promise<ProgrammePage> {
    const programme = await findProgrammeBySlug(this.db, slug)
    if (!programme) throw new NotFoundError()
    const seesRequests = canTriage(viewer) || leadsProgramme(viewer, programme.id)
    const [leads, projects, requests] = await Promise.all([
      listProgrammeLeads(this.db, programme.id),
      this.linkedProjects(programme.id, viewer),
      seesRequests ? listForProgramme(this.db, programme.id) : Promise.resolve(null),
    ])
    return { programme, leads, projects, requests, canEdit: canEditProgramme(viewer, programme.id) }
  }

  async find(slug: string): Promise<Programme> {
    const programme = await findProgrammeBySlug(this.db, slug)
    if (!programme) throw new NotFoundError()
    return programme
  }

  async updateDescription(user: CurrentUser, slug: string, description: string, ip?: string): Promise<void> {
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      const programme = await findProgrammeBySlug(trx, slug)
      if (!programme) throw new NotFoundError()
      if (!canEditProgramme(user, programme.id))
        throw new ForbiddenError('Only the programme’s leads and the Steering Group can edit this programme')
      await updateProgrammeDescription(trx, programme.id, description)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'programme.update',
        entityType: 'programme',
        entityId: programme.id,
        ip,
        before: { description: programme.description },
        after: { description },
      })
    })
  }

  /** Choices for the support request form. */
  async formOptions() {
    const [programmes, priorities, aims, faculties] = await Promise.all([
      listProgrammes(this.db),
      listPriorities(this.db),
      listAims(this.db),
      listFaculties(this.db),
    ])
    return { programmes, priorities, aims, faculties }
  }

  async faculties() {
    return listFaculties(this.db)
  }

  // ----- system priorities -----

  async priorities(): Promise<SystemPriority[]> {
    return listPriorities(this.db)
  }

  async priority(user: CurrentUser, id: string): Promise<SystemPriority> {
    if (!canManagePriorities(user))
      throw new ForbiddenError('Only the Steering Group keeps the system priorities')
    const p = await findPriority(this.db, id)
    if (!p) throw new NotFoundError()
    return p
  }

  async createPriority(user: CurrentUser, input: PriorityInput, ip?: string): Promise<string> {
    if (!canManagePriorities(user))
      throw new ForbiddenError('Only the Steering Group keeps the system priorities')
    const id = newId()
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      if (await priorityNameTaken(trx, input.name))
        throw new ValidationError({ name: 'There is already a priority with this name' })
      await insertPriority(trx, {
        id,
        name: input.name,
        owner: input.owner,
        description: input.description,
        now,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'priority.create',
        entityType: 'system_priority',
        entityId: id,
        ip,
        after: input,
      })
    })
    return id
  }

  async updatePriority(user: CurrentUser, id: string, input: PriorityInput, ip?: string): Promise<void> {
    if (!canManagePriorities(user))
      throw new ForbiddenError('Only the Steering Group keeps the system priorities')
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      const before = await findPriority(trx, id)
      if (!before) throw new NotFoundError()
      if (await priorityNameTaken(trx, input.name, id))
        throw new ValidationError({ name: 'There is already a priority with this name' })
      if (!(await updatePriority(trx, id, input.version, { ...input, now })))
        throw new ConflictError(
          'Someone else changed this priority after you opened it. Reload the page and try again.',
        )
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'priority.update',
        entityType: 'system_priority',
        entityId: id,
        ip,
        before,
        after: input,
      })
    })
  }

  /** Deleting a priority removes its tags from requests (audited with the count). */
  async deletePriority(user: CurrentUser, id: string, ip?: string): Promise<void> {
    if (!canManagePriorities(user))
      throw new ForbiddenError('Only the Steering Group keeps the system priorities')
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      const before = await findPriority(trx, id)
      if (!before) throw new NotFoundError()
      await deletePriority(trx, id)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'priority.delete',
        entityType: 'system_priority',
        entityId: id,
        ip,
        before,
      })
    })
  }
}
