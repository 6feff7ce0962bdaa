import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { partnerInvolvementRow, partnerSettingsRow, partnerYouSaidRow } from '../db/rows.js'

type Db = Kysely<DB> | Transaction<DB>

/** Partners' own tables: "you said, we did", the involvement log and the reading-age setting. */

export const DEFAULT_READING_AGE = 11

export interface YouSaid {
  id: string
  projectId: string
  youSaid: string
  weDid: string
  saidOn: string
  authorId: string | null
  updatedAt: string
}

export interface Involvement {
  id: string
  projectId: string
  partnerId: string
  involvedOn: string
  sessions: number
  minutes: number
  whatFor: string
  expensesPence: number
  status: string
  createdAt: string
}

const str = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v))

export async function listYouSaid(db: Db, projectId: string): Promise<YouSaid[]> {
  const rows = await db
    .selectFrom('partner_you_said')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('said_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    youSaid: r.you_said,
    weDid: r.we_did,
    saidOn: r.said_on,
    authorId: r.author_id,
    updatedAt: str(r.updated_at),
  }))
}

export async function findYouSaid(db: Db, projectId: string, id: string): Promise<YouSaid | null> {
  return (await listYouSaid(db, projectId)).find((e) => e.id === id) ?? null
}

export async function insertYouSaid(
  db: Db,
  v: { projectId: string; youSaid: string; weDid: string; saidOn: string; authorId: string; at: string },
): Promise<string> {
  const row = partnerYouSaidRow({
    project_id: v.projectId,
    you_said: v.youSaid,
    we_did: v.weDid,
    said_on: v.saidOn,
    author_id: v.authorId,
    created_at: v.at,
  })
  await db.insertInto('partner_you_said').values(row).execute()
  return row.id
}

export async function updateYouSaid(
  db: Db,
  projectId: string,
  id: string,
  v: { youSaid: string; weDid: string; saidOn: string; at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('partner_you_said')
    .set({ you_said: v.youSaid, we_did: v.weDid, said_on: v.saidOn, updated_at: v.at })
    .where('id', '=', id)
    .where('project_id', '=', projectId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

function toInvolvement(r: {
  id: string
  project_id: string
  partner_id: string
  involved_on: string
  sessions: number
  minutes: number
  what_for: string
  expenses_pence: number
  status: string
  created_at: unknown
}): Involvement {
  return {
    id: r.id,
    projectId: r.project_id,
    partnerId: r.partner_id,
    involvedOn: r.involved_on,
    sessions: Number(r.sessions),
    minutes: Number(r.minutes),
    whatFor: r.what_for,
    expensesPence: Number(r.expenses_pence),
    status: r.status,
    createdAt: str(r.created_at),
  }
}

export async function listInvolvement(
  db: Db,
  by: { partnerId: string } | { projectId: string },
): Promise<Involvement[]> {
  const rows = await db
    .selectFrom('partner_involvement')
    .selectAll()
    .$if('partnerId' in by, (q) => q.where('partner_id', '=', (by as { partnerId: string }).partnerId))
    .$if('projectId' in by, (q) => q.where('project_id', '=', (by as { projectId: string }).projectId))
    .orderBy('involved_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map(toInvolvement)
}

export async function findInvolvement(db: Db, id: string): Promise<Involvement | null> {
  const r = await db.selectFrom('partner_involvement').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toInvolvement(r) : null
}

export async function insertInvolvement(
  db: Db,
  v: Omit<Involvement, 'id' | 'status' | 'createdAt'> & { at: string },
): Promise<string> {
  const row = partnerInvolvementRow({
    project_id: v.projectId,
    partner_id: v.partnerId,
    involved_on: v.involvedOn,
    sessions: v.sessions,
    minutes: v.minutes,
    what_for: v.whatFor,
    expenses_pence: v.expensesPence,
    created_at: v.at,
  })
  await db.insertInto('partner_involvement').values(row).execute()
  return row.id
}

/** Moves an entry on from `from` (so two leads approving at once change it once). */
export async function setInvolvementStatus(
  db: Db,
  id: string,
  from: string,
  to: 'approved' | 'paid',
  by: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('partner_involvement')
    .set(
      to === 'approved'
        ? { status: to, decided_by: by, decided_at: at }
        : { status: to, paid_by: by, paid_at: at },
    )
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function findMaxReadingAge(db: Db): Promise<number> {
  const r = await db
    .selectFrom('partner_settings')
    .select('max_reading_age')
    .where('id', '=', 'system')
    .executeTakeFirst()
  return r ? Number(r.max_reading_age) : DEFAULT_READING_AGE
}

export async function saveMaxReadingAge(db: Db, age: number, by: string, at: string): Promise<void> {
  await db
    .insertInto('partner_settings')
    .values(partnerSettingsRow({ max_reading_age: age, updated_by: by, updated_at: at }))
    .onConflict((oc) => oc.column('id').doUpdateSet({ max_reading_age: age, updated_by: by, updated_at: at }))
    .execute()
}
