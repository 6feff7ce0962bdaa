// Over 400 lines for a reason: one class holds the driver diagram's use cases (drivers and
// change ideas: view, add, edit, delete, move), each a short transaction with its audit and
// activity; they share the version checks and the position swap, so splitting would scatter them.
import type { Kysely } from 'kysely'
import type { CurrentUser } from '../../core/identity.js'
import { newId } from '../../core/ids.js'
import type { DB } from '../../db/schema.js'
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js'
import { projectFor, quote, recordChange, type ProjectContext } from '../context.js'
import {
  countChangeIdeas,
  countCyclesForChangeIdea,
  countDrivers,
  deleteChangeIdeaRow,
  deleteDriverRow,
  findChangeIdea,
  findCurrentAim,
  findDriver,
  insertChangeIdea,
  insertDriver,
  listChangeIdeas,
  listDrivers,
  nextChangeIdeaPosition,
  nextDriverPosition,
  setChangeIdeaDrivers,
  setChangeIdeaPosition,
  setDriverParents,
  setDriverPosition,
  updateChangeIdeaRow,
  updateDriverTitle,
  type ChangeIdea,
  type CurrentAim,
  type Driver,
} from './repository.js'
import { buildDriverTree, type DriverTree } from './tree.js'
import type { ChangeIdeaEditInput, ChangeIdeaInput, DriverEditInput, DriverInput } from '../forms.js'
import { CHANGE_IDEA_STATUS_LABELS, type DriverKind } from '../policy.js'
import { renderDriverDiagramSvg } from '../svg/driver-diagram.js'
import { pictureFile, type PictureFormat } from '../../charts/files.js'

export const MAX_DRIVERS = 100
export const MAX_CHANGE_IDEAS = 200

const CHANGED =
  'Someone else changed this after you opened it. Reload the page to see their changes, then make yours again.'

export interface DiagramView extends ProjectContext {
  aim: CurrentAim | null
  drivers: Driver[]
  primaries: Driver[]
  secondaries: Driver[]
  changeIdeas: ChangeIdea[]
  tree: DriverTree
  svg: string
}

/** The driver diagram: aim → primary → secondary drivers → change ideas, edited with plain forms. */
export class DriverService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  async diagram(user: CurrentUser | null, projectId: string): Promise<DiagramView> {
    const context = await projectFor(this.db, user, projectId, 'view')
    const [aim, drivers, changeIdeas] = await Promise.all([
      findCurrentAim(this.db, projectId),
      listDrivers(this.db, projectId),
      listChangeIdeas(this.db, projectId),
    ])
    return {
      ...context,
      aim,
      drivers,
      primaries: drivers.filter((d) => d.kind === 'primary'),
      secondaries: drivers.filter((d) => d.kind === 'secondary'),
      changeIdeas,
      tree: buildDriverTree(drivers, changeIdeas),
      svg: renderDriverDiagramSvg({ aim: aim?.statement ?? null, drivers, changeIdeas }),
    }
  }

  /** The diagram as a file to download (SVG or PNG), for anyone who may see the diagram. */
  async diagramPicture(user: CurrentUser | null, projectId: string, format: PictureFormat) {
    const view = await this.diagram(user, projectId)
    return pictureFile(view.svg, `Driver diagram ${view.project.title}`, format, 'driver-diagram')
  }

  /** The project's drivers, for forms (the user must be able to change the project). */
  async editContext(user: CurrentUser | null, projectId: string) {
    const context = await projectFor(this.db, user, projectId, 'edit')
    const drivers = await listDrivers(this.db, projectId)
    return {
      ...context,
      primaries: drivers.filter((d) => d.kind === 'primary'),
      secondaries: drivers.filter((d) => d.kind === 'secondary'),
    }
  }

  async driver(
    user: CurrentUser | null,
    projectId: string,
    driverId: string,
    need: 'view' | 'edit' = 'edit',
  ) {
    const context = await projectFor(this.db, user, projectId, need)
    const drivers = await listDrivers(this.db, projectId)
    const driver = drivers.find((d) => d.id === driverId)
    if (!driver) throw new NotFoundError()
    const changeIdeas = await listChangeIdeas(this.db, projectId)
    return {
      ...context,
      driver,
      primaries: drivers.filter((d) => d.kind === 'primary'),
      children: drivers.filter((d) => d.parentIds.includes(driver.id)),
      /** Secondary drivers that would be left without a primary parent if this one went. */
      onlyChildren: drivers.filter((d) => d.parentIds.length === 1 && d.parentIds[0] === driver.id),
      linkedIdeas: changeIdeas.filter((i) => i.driverIds.includes(driver.id)),
    }
  }

  async addDriver(
    user: CurrentUser,
    projectId: string,
    kind: DriverKind,
    input: DriverInput,
    ip?: string,
  ): Promise<string> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    const id = newId()
    await this.db.transaction().execute(async (trx) => {
      if ((await countDrivers(trx, projectId)) >= MAX_DRIVERS) {
        throw new ValidationError({
          title: `A driver diagram can have up to ${MAX_DRIVERS} drivers. Combine or remove some first.`,
        })
      }
      const parentIds = kind === 'secondary' ? await this.checkParents(trx, projectId, input.parentIds) : []
      await insertDriver(trx, {
        id,
        projectId,
        kind,
        title: input.title,
        position: await nextDriverPosition(trx, projectId, kind),
        createdBy: user.id,
        now,
      })
      if (kind === 'secondary') await setDriverParents(trx, id, parentIds)
      await recordChange(trx, now, user, {
        projectId,
        action: 'driver.added',
        entityType: 'driver',
        entityId: id,
        summary: `Added the ${kind} driver ${quote(input.title)}`,
        after: { kind, title: input.title, parentIds },
        ip,
      })
    })
    return id
  }

  async editDriver(
    user: CurrentUser,
    projectId: string,
    driverId: string,
    input: DriverEditInput,
    ip?: string,
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await findDriver(trx, projectId, driverId)
      if (!before) throw new NotFoundError()
      if (before.version !== input.version) throw new ConflictError(CHANGED)
      const parentIds =
        before.kind === 'secondary' ? await this.checkParents(trx, projectId, input.parentIds) : []
      if (!(await updateDriverTitle(trx, driverId, input.version, input.title, now)))
        throw new ConflictError(CHANGED)
      if (before.kind === 'secondary') await setDriverParents(trx, driverId, parentIds)
      await recordChange(trx, now, user, {
        projectId,
        action: 'driver.updated',
        entityType: 'driver',
        entityId: driverId,
        summary:
          before.title === input.title
            ? `Changed the links of the ${before.kind} driver ${quote(input.title)}`
            : `Renamed the ${before.kind} driver ${quote(before.title)} to ${quote(input.title)}`,
        before: { title: before.title, parentIds: before.parentIds },
        after: { title: input.title, parentIds },
        ip,
      })
    })
  }

  async deleteDriver(
    user: CurrentUser,
    projectId: string,
    driverId: string,
    version: number,
    ip?: string,
  ): Promise<Driver> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const drivers = await listDrivers(trx, projectId)
      const before = drivers.find((d) => d.id === driverId)
      if (!before) throw new NotFoundError()
      if (before.version !== version) throw new ConflictError(CHANGED)
      const orphans = drivers.filter((d) => d.parentIds.length === 1 && d.parentIds[0] === driverId)
      if (orphans.length) {
        throw new ValidationError({
          delete: `This primary driver is the only parent of ${orphans.map((o) => quote(o.title)).join(', ')}. Link ${orphans.length === 1 ? 'that secondary driver' : 'those secondary drivers'} to another primary driver, or delete ${orphans.length === 1 ? 'it' : 'them'}, first.`,
        })
      }
      if (!(await deleteDriverRow(trx, driverId, version))) throw new ConflictError(CHANGED)
      await recordChange(trx, now, user, {
        projectId,
        action: 'driver.deleted',
        entityType: 'driver',
        entityId: driverId,
        summary: `Deleted the ${before.kind} driver ${quote(before.title)}`,
        before: { kind: before.kind, title: before.title, parentIds: before.parentIds },
        ip,
      })
      return before
    })
  }

  /** Swaps a driver with its neighbour of the same kind. Moving the first up (or last down) does nothing. */
  async moveDriver(
    user: CurrentUser,
    projectId: string,
    driverId: string,
    direction: 'up' | 'down',
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    await this.db.transaction().execute(async (trx) => {
      const drivers = await listDrivers(trx, projectId)
      const driver = drivers.find((d) => d.id === driverId)
      if (!driver) throw new NotFoundError()
      const same = drivers.filter((d) => d.kind === driver.kind)
      await swap(same, driver.id, direction, (id, position) => setDriverPosition(trx, id, position))
    })
  }

  private async checkParents(trx: Kysely<DB>, projectId: string, parentIds: string[]): Promise<string[]> {
    const primaries = (await listDrivers(trx, projectId)).filter((d) => d.kind === 'primary')
    const unique = [...new Set(parentIds)]
    if (unique.length === 0)
      throw new ValidationError({
        parentIds: 'Select at least one primary driver this secondary driver contributes to',
      })
    if (!unique.every((id) => primaries.some((p) => p.id === id)))
      throw new ValidationError({ parentIds: 'Select primary drivers from the list' })
    return unique
  }

  // ----- change ideas -----

  async changeIdea(
    user: CurrentUser | null,
    projectId: string,
    ideaId: string,
    need: 'view' | 'edit' = 'view',
  ) {
    const context = await projectFor(this.db, user, projectId, need)
    const idea = await findChangeIdea(this.db, projectId, ideaId)
    if (!idea) throw new NotFoundError()
    const drivers = await listDrivers(this.db, projectId)
    return {
      ...context,
      idea,
      drivers,
      linkedDrivers: drivers.filter((d) => idea.driverIds.includes(d.id)),
      cycleCount: await countCyclesForChangeIdea(this.db, ideaId),
    }
  }

  async listChangeIdeas(user: CurrentUser | null, projectId: string): Promise<ChangeIdea[]> {
    await projectFor(this.db, user, projectId, 'view')
    return listChangeIdeas(this.db, projectId)
  }

  async addChangeIdea(
    user: CurrentUser,
    projectId: string,
    input: ChangeIdeaInput,
    ip?: string,
  ): Promise<string> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    const id = newId()
    await this.db.transaction().execute(async (trx) => {
      if ((await countChangeIdeas(trx, projectId)) >= MAX_CHANGE_IDEAS) {
        throw new ValidationError({ title: `A project can have up to ${MAX_CHANGE_IDEAS} change ideas.` })
      }
      const driverIds = await this.checkDrivers(trx, projectId, input.driverIds)
      await insertChangeIdea(trx, {
        id,
        projectId,
        title: input.title,
        description: input.description,
        status: input.status,
        position: await nextChangeIdeaPosition(trx, projectId),
        createdBy: user.id,
        now,
      })
      await setChangeIdeaDrivers(trx, id, driverIds)
      await recordChange(trx, now, user, {
        projectId,
        action: 'change_idea.added',
        entityType: 'change_idea',
        entityId: id,
        summary: `Added the change idea ${quote(input.title)}`,
        after: { title: input.title, status: input.status, driverIds },
        ip,
      })
    })
    return id
  }

  async editChangeIdea(
    user: CurrentUser,
    projectId: string,
    ideaId: string,
    input: ChangeIdeaEditInput,
    ip?: string,
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await findChangeIdea(trx, projectId, ideaId)
      if (!before) throw new NotFoundError()
      if (before.version !== input.version) throw new ConflictError(CHANGED)
      const driverIds = await this.checkDrivers(trx, projectId, input.driverIds)
      const values = { title: input.title, description: input.description, status: input.status }
      if (!(await updateChangeIdeaRow(trx, ideaId, input.version, values, now)))
        throw new ConflictError(CHANGED)
      await setChangeIdeaDrivers(trx, ideaId, driverIds)
      const statusNote =
        before.status !== input.status
          ? ` (now ${CHANGE_IDEA_STATUS_LABELS[input.status].toLowerCase()})`
          : ''
      await recordChange(trx, now, user, {
        projectId,
        action: 'change_idea.updated',
        entityType: 'change_idea',
        entityId: ideaId,
        summary: `Updated the change idea ${quote(input.title)}${statusNote}`,
        before: {
          title: before.title,
          description: before.description,
          status: before.status,
          driverIds: before.driverIds,
        },
        after: { ...values, driverIds },
        ip,
      })
    })
  }

  async deleteChangeIdea(
    user: CurrentUser,
    projectId: string,
    ideaId: string,
    version: number,
    ip?: string,
  ): Promise<ChangeIdea> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const before = await findChangeIdea(trx, projectId, ideaId)
      if (!before) throw new NotFoundError()
      if (before.version !== version) throw new ConflictError(CHANGED)
      const cycles = await countCyclesForChangeIdea(trx, ideaId)
      if (cycles > 0) {
        throw new ValidationError({
          delete: `This change idea has ${cycles} PDSA ${cycles === 1 ? 'cycle' : 'cycles'}, which would be lost. Mark it as abandoned instead, so the learning is kept.`,
        })
      }
      if (!(await deleteChangeIdeaRow(trx, ideaId, version))) throw new ConflictError(CHANGED)
      await recordChange(trx, now, user, {
        projectId,
        action: 'change_idea.deleted',
        entityType: 'change_idea',
        entityId: ideaId,
        summary: `Deleted the change idea ${quote(before.title)}`,
        before: {
          title: before.title,
          description: before.description,
          status: before.status,
          driverIds: before.driverIds,
        },
        ip,
      })
      return before
    })
  }

  async moveChangeIdea(
    user: CurrentUser,
    projectId: string,
    ideaId: string,
    direction: 'up' | 'down',
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    await this.db.transaction().execute(async (trx) => {
      const ideas = await listChangeIdeas(trx, projectId)
      if (!ideas.some((i) => i.id === ideaId)) throw new NotFoundError()
      await swap(ideas, ideaId, direction, (id, position) => setChangeIdeaPosition(trx, id, position))
    })
  }

  private async checkDrivers(trx: Kysely<DB>, projectId: string, driverIds: string[]): Promise<string[]> {
    const drivers = await listDrivers(trx, projectId)
    const unique = [...new Set(driverIds)]
    if (!unique.every((id) => drivers.some((d) => d.id === id)))
      throw new ValidationError({ driverIds: 'Select drivers from the list' })
    return unique
  }
}

/** Swaps the item's position with its neighbour's (positions are renumbered 1… first, so gaps and ties never stick). */
async function swap(
  items: { id: string; position: number }[],
  id: string,
  direction: 'up' | 'down',
  set: (id: string, position: number) => Promise<void>,
): Promise<void> {
  const index = items.findIndex((i) => i.id === id)
  const other = direction === 'up' ? index - 1 : index + 1
  if (index < 0 || other < 0 || other >= items.length) return
  const order = items.map((i) => i.id)
  ;[order[index], order[other]] = [order[other], order[index]]
  for (let i = 0; i < order.length; i++) {
    const current = items.find((x) => x.id === order[i])!
    if (current.position !== i + 1) await set(order[i], i + 1)
  }
}
