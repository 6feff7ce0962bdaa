import type { Kysely, Transaction } from 'kysely'
import { read } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import { normaliseData, type ToolData, type ToolType } from './definitions.js'

type Db = Kysely<DB> | Transaction<DB>

export interface ProjectTool {
  id: string
  projectId: string
  type: ToolType
  title: string
  data: ToolData
  version: number
  createdAt: string
  updatedAt: string
}

function toTool(r: {
  id: string
  project_id: string
  type: string
  title: string
  data: unknown
  version: number
  created_at: string
  updated_at: string
}): ProjectTool {
  return {
    id: r.id,
    projectId: r.project_id,
    type: r.type as ToolType,
    title: r.title,
    data: normaliseData(read.json(r.data, {})),
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export async function listTools(db: Db, projectId: string): Promise<ProjectTool[]> {
  const rows = await db
    .selectFrom('project_tools')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toTool)
}

export async function findTool(db: Db, projectId: string, id: string): Promise<ProjectTool | null> {
  const row = await db
    .selectFrom('project_tools')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toTool(row) : null
}

export async function countTools(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('project_tools')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertTool(
  db: Db,
  row: {
    id: string
    projectId: string
    type: ToolType
    title: string
    data: ToolData
    createdBy: string
    now: string
  },
): Promise<void> {
  await db
    .insertInto('project_tools')
    .values({
      id: row.id,
      project_id: row.projectId,
      type: row.type,
      title: row.title,
      data: JSON.stringify(row.data),
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute()
}

/** Saves a tool if its row is still at `version`; false when another save came first. */
export async function updateTool(
  db: Db,
  id: string,
  version: number,
  values: { title: string; data: ToolData },
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('project_tools')
    .set((eb) => ({
      title: values.title,
      data: JSON.stringify(values.data),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function deleteToolRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('project_tools').where('id', '=', id).execute()
}
