import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'
import { boardPackRow } from '../db/rows.js'

/** Board packs (`board_packs`): the only queries on that table. */

type Db = Kysely<DB> | Transaction<DB>

export type PackStatus = 'queued' | 'running' | 'done' | 'failed'

export interface BoardPack {
  id: string
  status: PackStatus
  progress: number
  requestedBy: string | null
  requestedAt: string
  measureIds: string[]
  jobId: string | null
  dataAsAt: string | null
  hasPptx: boolean
  hasPdf: boolean
  error: string | null
  finishedAt: string | null
}

const META = [
  'id',
  'status',
  'progress',
  'requested_by',
  'requested_at',
  'measure_ids',
  'job_id',
  'data_as_at',
  'error',
  'finished_at',
] as const

function toPack(r: {
  id: string
  status: string
  progress: number | string
  requested_by: string | null
  requested_at: string
  measure_ids: string
  job_id: string | null
  data_as_at: string | null
  error: string | null
  finished_at: string | null
  has_pptx: number | string | boolean | null
  has_pdf: number | string | boolean | null
}): BoardPack {
  return {
    id: r.id,
    status: r.status as PackStatus,
    progress: read.num(r.progress),
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    measureIds: read.json<string[]>(r.measure_ids, []),
    jobId: r.job_id,
    dataAsAt: r.data_as_at,
    hasPptx: Boolean(Number(r.has_pptx ?? 0)),
    hasPdf: Boolean(Number(r.has_pdf ?? 0)),
    error: r.error,
    finishedAt: r.finished_at,
  }
}

const withMeta = (db: Db) =>
  db
    .selectFrom('board_packs')
    .select(META)
    .select((eb) => [
      eb.case().when('pptx', 'is not', null).then(1).else(0).end().as('has_pptx'),
      eb.case().when('pdf', 'is not', null).then(1).else(0).end().as('has_pdf'),
    ])

/**
 * Inserts a queued pack unless one is already queued or running (the unique `live` column keeps
 * one, even for two requests at once). Returns the new pack's id, or null when one was live.
 */
export async function insertLivePack(
  db: Db,
  p: { id: string; requestedBy: string; at: string; measureIds: string[] },
): Promise<string | null> {
  const r = await db
    .insertInto('board_packs')
    .values(
      boardPackRow({
        id: p.id,
        status: 'queued',
        live: 'live',
        requested_by: p.requestedBy,
        requested_at: p.at,
        measure_ids: JSON.stringify(p.measureIds),
      }),
    )
    .onConflict((oc) => oc.column('live').doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0 ? p.id : null
}

export async function findLivePack(db: Db): Promise<BoardPack | null> {
  const r = await withMeta(db).where('live', '=', 'live').executeTakeFirst()
  return r ? toPack(r) : null
}

export async function setJob(db: Db, id: string, jobId: string): Promise<void> {
  await db.updateTable('board_packs').set({ job_id: jobId }).where('id', '=', id).execute()
}

export async function findPack(db: Db, id: string): Promise<BoardPack | null> {
  const r = await withMeta(db).where('id', '=', id).executeTakeFirst()
  return r ? toPack(r) : null
}

export async function listPacks(db: Db, limit: number): Promise<BoardPack[]> {
  const rows = await withMeta(db).orderBy('requested_at', 'desc').orderBy('id').limit(limit).execute()
  return rows.map(toPack)
}

/** Progress of a running pack (repeatable: a retried job starts again). */
export async function setProgress(db: Db, id: string, progress: number): Promise<void> {
  await db
    .updateTable('board_packs')
    .set({ status: 'running', progress: Math.max(0, Math.min(99, Math.round(progress))) })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute()
}

export async function finishPack(
  db: Db,
  id: string,
  files: { dataAsAt: string; content: string; pptx: Buffer; pdf: Buffer; at: string },
): Promise<void> {
  await db
    .updateTable('board_packs')
    .set({
      status: 'done',
      progress: 100,
      live: null,
      data_as_at: files.dataAsAt,
      content: files.content,
      pptx: files.pptx,
      pdf: files.pdf,
      error: null,
      finished_at: files.at,
    })
    .where('id', '=', id)
    .execute()
}

export async function failPack(db: Db, id: string, error: string, at: string): Promise<void> {
  await db
    .updateTable('board_packs')
    .set({ status: 'failed', live: null, error: error.slice(0, 500), finished_at: at })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute()
}

export async function packContent(db: Db, id: string): Promise<string | null> {
  const r = await db.selectFrom('board_packs').select('content').where('id', '=', id).executeTakeFirst()
  return r?.content ?? null
}

export async function packFile(db: Db, id: string, kind: 'pptx' | 'pdf'): Promise<Buffer | null> {
  const r = await db.selectFrom('board_packs').select(kind).where('id', '=', id).executeTakeFirst()
  const bytes = r?.[kind]
  return bytes ? Buffer.from(bytes) : null
}
