import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { ChangeIdeaStatus, DriverKind } from '../policy.js'

type Db = Kysely<DB> | Transaction<DB>

export interface Driver {
  id: string
  projectId: string
  kind: DriverKind
  title: string
  position: number
  version: number
  /** Primary parents of a secondary driver (empty for a primary driver). */
  parentIds: string[]
}

export interface ChangeIdea {
  id: string
  projectId: string
  title: string
  description: string
  status: ChangeIdeaStatus
  position: number
  version: number
  /** The drivers (secondary, or primary) this change idea acts on. */
  driverIds: string[]
}

export interface CurrentAim {
  statement: string
  version: number
  createdAt: string
}

/** The project's current aim: the latest version in project_aims (owned by projects; read only here). */
export async function findCurrentAim(db: Db, projectId: string): Promise<CurrentAim | null> {
  const row = await db
    .selectFrom('project_aims')
    .select(['statement', 'version', 'created_at'])
    .where('project_id', '=', projectId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { statement: row.statement, version: Number(row.version), createdAt: row.created_at } : null
}

export async function listDrivers(db: Db, projectId: string): Promise<Driver[]> {
  const [rows, parents] = await Promise.all([
    db
      .selectFrom('drivers')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('position')
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('driver_parents')
      .innerJoin('drivers', 'drivers.id', 'driver_parents.secondary_id')
      .select(['driver_parents.secondary_id', 'driver_parents.primary_id'])
      .where('drivers.project_id', '=', projectId)
      .execute(),
  ])
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    kind: r.kind as DriverKind,
    title: r.title,
    position: Number(r.position),
    version: Number(r.version),
    parentIds: parents.filter((p) => p.secondary_id === r.id).map((p) => p.primary_id),
  }))
}

export async function listChangeIdeas(db: Db, projectId: string): Promise<ChangeIdea[]> {
  const [rows, links] = await Promise.all([
    db
      .selectFrom('change_ideas')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('position')
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('change_idea_drivers')
      .innerJoin('change_ideas', 'change_ideas.id', 'change_idea_drivers.change_idea_id')
      .select(['change_idea_drivers.change_idea_id', 'change_idea_drivers.driver_id'])
      .where('change_ideas.project_id', '=', projectId)
      .execute(),
  ])
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    title: r.title,
    description: r.description,
    status: r.status as ChangeIdeaStatus,
    position: Number(r.position),
    version: Number(r.version),
    driverIds: links.filter((l) => l.change_idea_id === r.id).map((l) => l.driver_id),
  }))
}

export async function findDriver(db: Db, projectId: string, id: string): Promise<Driver | null> {
  const all = await listDrivers(db, projectId)
  return all.find((d) => d.id === id) ?? null
}

export async function findChangeIdea(db: Db, projectId: string, id: string): Promise<ChangeIdea | null> {
  const row = await db
    .selectFrom('change_ideas')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  const links = await db
    .selectFrom('change_idea_drivers')
    .select('driver_id')
    .where('change_idea_id', '=', id)
    .execute()
  return {
    id: row.id,
    projectId: row.project_id,
    title: row.title,
    description: row.description,
    status: row.status as ChangeIdeaStatus,
    position: Number(row.position),
    version: Number(row.version),
    driverIds: links.map((l) => l.driver_id),
  }
}

export async function countDrivers(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('drivers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function countChangeIdeas(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('change_ideas')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function nextDriverPosition(db: Db, projectId: string, kind: DriverKind): Promise<number> {
  const row = await db
    .selectFrom('drivers')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('project_id', '=', projectId)
    .where('kind', '=', kind)
    .executeTakeFirst()
  return row?.p === null || row?.p === undefined ? 1 : Number(row.p) + 1
}

export async function nextChangeIdeaPosition(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('change_ideas')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('project_id', '=', projectId)
    .executeTakeFirst()
  return row?.p === null || row?.p === undefined ? 1 : Number(row.p) + 1
}

export async function insertDriver(
  db: Db,
  row: {
    id: string
    projectId: string
    kind: DriverKind
    title: string
    position: number
    createdBy: string
    now: string
  },
): Promise<void> {
  await db
    .insertInto('drivers')
    .values({
      id: row.id,
      project_id: row.projectId,
      kind: row.kind,
      title: row.title,
      position: row.position,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute()
}

/** Renames a driver if it is still at `version`; false when someone else changed it first. */
export async function updateDriverTitle(
  db: Db,
  id: string,
  version: number,
  title: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('drivers')
    .set((eb) => ({ title, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function setDriverParents(db: Db, secondaryId: string, primaryIds: string[]): Promise<void> {
  await db.deleteFrom('driver_parents').where('secondary_id', '=', secondaryId).execute()
  if (primaryIds.length) {
    await db
      .insertInto('driver_parents')
      .values(primaryIds.map((primaryId) => ({ secondary_id: secondaryId, primary_id: primaryId })))
      .execute()
  }
}

export async function deleteDriverRow(db: Db, id: string, version: number): Promise<boolean> {
  const result = await db
    .deleteFrom('drivers')
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}

export async function setDriverPosition(db: Db, id: string, position: number): Promise<void> {
  await db.updateTable('drivers').set({ position }).where('id', '=', id).execute()
}

export async function insertChangeIdea(
  db: Db,
  row: {
    id: string
    projectId: string
    title: string
    description: string
    status: ChangeIdeaStatus
    position: number
    createdBy: string
    now: string
  },
): Promise<void> {
  await db
    .insertInto('change_ideas')
    .values({
      id: row.id,
      project_id: row.projectId,
      title: row.title,
      description: row.description,
      status: row.status,
      position: row.position,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute()
}

export async function updateChangeIdeaRow(
  db: Db,
  id: string,
  version: number,
  values: { title: string; description: string; status: ChangeIdeaStatus },
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('change_ideas')
    .set((eb) => ({ ...values, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Sets the status whatever the version (a PDSA decision), bumping the version so open edit forms notice. */
export async function setChangeIdeaStatus(
  db: Db,
  id: string,
  status: ChangeIdeaStatus,
  now: string,
): Promise<void> {
  await db
    .updateTable('change_ideas')
    .set((eb) => ({ status, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

export async function setChangeIdeaDrivers(db: Db, changeIdeaId: string, driverIds: string[]): Promise<void> {
  await db.deleteFrom('change_idea_drivers').where('change_idea_id', '=', changeIdeaId).execute()
  if (driverIds.length) {
    await db
      .insertInto('change_idea_drivers')
      .values(driverIds.map((driverId) => ({ change_idea_id: changeIdeaId, driver_id: driverId })))
      .execute()
  }
}

export async function deleteChangeIdeaRow(db: Db, id: string, version: number): Promise<boolean> {
  const result = await db
    .deleteFrom('change_ideas')
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}

export async function setChangeIdeaPosition(db: Db, id: string, position: number): Promise<void> {
  await db.updateTable('change_ideas').set({ position }).where('id', '=', id).execute()
}

export async function countCyclesForChangeIdea(db: Db, changeIdeaId: string): Promise<number> {
  const row = await db
    .selectFrom('pdsa_cycles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('change_idea_id', '=', changeIdeaId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
