import type { Kysely, Selectable, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { PdsaCyclesTable } from '../../db/tables/improvement.js'
import type { PdsaDecision, PdsaStatus, PredictionMet } from '../policy.js'

type Db = Kysely<DB> | Transaction<DB>

export interface PdsaPlan {
  title: string
  objective: string
  prediction: string
  planWho: string
  planWhat: string
  planWhen: string
  planWhere: string
  plannedDate: string | null
  dataToCollect: string
}

export interface PdsaCycle extends PdsaPlan {
  id: string
  projectId: string
  changeIdeaId: string
  previousId: string | null
  status: PdsaStatus
  doNotes: string
  doStart: string | null
  doEnd: string | null
  findings: string
  predictionMet: PredictionMet | null
  decision: PdsaDecision | null
  decisionReason: string
  decidedAt: string | null
  closedAt: string | null
  version: number
  createdAt: string
  updatedAt: string
  measureIds: string[]
}

function toCycle(r: Selectable<PdsaCyclesTable>, measureIds: string[]): PdsaCycle {
  const maybe = (v: string | null) => (v === null || v === '' ? null : v)
  return {
    id: r.id,
    projectId: r.project_id,
    changeIdeaId: r.change_idea_id,
    previousId: maybe(r.previous_id),
    title: r.title,
    status: r.status as PdsaStatus,
    objective: r.objective,
    prediction: r.prediction,
    planWho: r.plan_who,
    planWhat: r.plan_what,
    planWhen: r.plan_when,
    planWhere: r.plan_where,
    plannedDate: maybe(r.planned_date),
    dataToCollect: r.data_to_collect,
    doNotes: r.do_notes,
    doStart: maybe(r.do_start),
    doEnd: maybe(r.do_end),
    findings: r.findings,
    predictionMet: maybe(r.prediction_met) as PredictionMet | null,
    decision: maybe(r.decision) as PdsaDecision | null,
    decisionReason: r.decision_reason,
    decidedAt: maybe(r.decided_at),
    closedAt: maybe(r.closed_at),
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    measureIds,
  }
}

async function measureIdsFor(db: Db, pdsaIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>()
  if (pdsaIds.length === 0) return map
  const rows = await db
    .selectFrom('pdsa_measures')
    .select(['pdsa_id', 'measure_id'])
    .where('pdsa_id', 'in', pdsaIds)
    .execute()
  for (const row of rows) map.set(row.pdsa_id, [...(map.get(row.pdsa_id) ?? []), row.measure_id])
  return map
}

export async function listCycles(db: Db, projectId: string, changeIdeaId?: string): Promise<PdsaCycle[]> {
  let query = db.selectFrom('pdsa_cycles').selectAll().where('project_id', '=', projectId)
  if (changeIdeaId) query = query.where('change_idea_id', '=', changeIdeaId)
  const rows = await query.orderBy('created_at').orderBy('id').execute()
  const measures = await measureIdsFor(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => toCycle(r, measures.get(r.id) ?? []))
}

/** Cycles of these projects in the Do stage whose Do ended before `today` (no measures loaded). */
export async function listDueForStudy(
  db: Db,
  projectIds: string[],
  today: string,
): Promise<{ id: string; projectId: string; title: string; doEnd: string }[]> {
  if (projectIds.length === 0) return []
  const rows = await db
    .selectFrom('pdsa_cycles')
    .select(['id', 'project_id', 'title', 'do_end'])
    .where('project_id', 'in', projectIds)
    .where('status', '=', 'doing')
    .where('do_end', 'is not', null)
    .where('do_end', '!=', '')
    .where('do_end', '<', today)
    .orderBy('do_end')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ id: r.id, projectId: r.project_id, title: r.title, doEnd: r.do_end! }))
}

export async function findCycle(db: Db, projectId: string, id: string): Promise<PdsaCycle | null> {
  const row = await db
    .selectFrom('pdsa_cycles')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  const measures = await measureIdsFor(db, [id])
  return toCycle(row, measures.get(id) ?? [])
}

/** The cycle that adapts this one, if any. */
export async function findNextCycle(db: Db, projectId: string, id: string): Promise<PdsaCycle | null> {
  const row = await db
    .selectFrom('pdsa_cycles')
    .select('id')
    .where('project_id', '=', projectId)
    .where('previous_id', '=', id)
    .executeTakeFirst()
  return row ? findCycle(db, projectId, row.id) : null
}

export async function countCycles(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('pdsa_cycles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

function planColumns(plan: PdsaPlan) {
  return {
    title: plan.title,
    objective: plan.objective,
    prediction: plan.prediction,
    plan_who: plan.planWho,
    plan_what: plan.planWhat,
    plan_when: plan.planWhen,
    plan_where: plan.planWhere,
    planned_date: plan.plannedDate,
    data_to_collect: plan.dataToCollect,
  }
}

export async function insertCycle(
  db: Db,
  row: {
    id: string
    projectId: string
    changeIdeaId: string
    previousId: string | null
    plan: PdsaPlan
    createdBy: string
    now: string
  },
): Promise<void> {
  await db
    .insertInto('pdsa_cycles')
    .values({
      id: row.id,
      project_id: row.projectId,
      change_idea_id: row.changeIdeaId,
      previous_id: row.previousId,
      status: 'planned',
      ...planColumns(row.plan),
      do_start: null,
      do_end: null,
      prediction_met: null,
      decision: null,
      decided_at: null,
      closed_at: null,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute()
}

export type CycleChanges = Partial<{
  changeIdeaId: string
  plan: PdsaPlan
  status: PdsaStatus
  doNotes: string
  doStart: string | null
  doEnd: string | null
  findings: string
  predictionMet: PredictionMet | null
  decision: PdsaDecision | null
  decisionReason: string
  decidedAt: string | null
  closedAt: string | null
}>

/** Updates a cycle if it is still at `version` (and in `status`); false when someone else changed it first. */
export async function updateCycle(
  db: Db,
  id: string,
  expected: { version: number; status: PdsaStatus },
  changes: CycleChanges,
  now: string,
): Promise<boolean> {
  const set: Record<string, unknown> = { updated_at: now }
  if (changes.changeIdeaId !== undefined) set.change_idea_id = changes.changeIdeaId
  if (changes.plan) Object.assign(set, planColumns(changes.plan))
  if (changes.status !== undefined) set.status = changes.status
  if (changes.doNotes !== undefined) set.do_notes = changes.doNotes
  if (changes.doStart !== undefined) set.do_start = changes.doStart
  if (changes.doEnd !== undefined) set.do_end = changes.doEnd
  if (changes.findings !== undefined) set.findings = changes.findings
  if (changes.predictionMet !== undefined) set.prediction_met = changes.predictionMet
  if (changes.decision !== undefined) set.decision = changes.decision
  if (changes.decisionReason !== undefined) set.decision_reason = changes.decisionReason
  if (changes.decidedAt !== undefined) set.decided_at = changes.decidedAt
  if (changes.closedAt !== undefined) set.closed_at = changes.closedAt
  const result = await db
    .updateTable('pdsa_cycles')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', expected.version)
    .where('status', '=', expected.status)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function setCycleMeasures(db: Db, pdsaId: string, measureIds: string[]): Promise<void> {
  await db.deleteFrom('pdsa_measures').where('pdsa_id', '=', pdsaId).execute()
  if (measureIds.length) {
    await db
      .insertInto('pdsa_measures')
      .values(measureIds.map((measureId) => ({ pdsa_id: pdsaId, measure_id: measureId })))
      .execute()
  }
}

export async function deleteCycleRow(db: Db, id: string, version: number): Promise<boolean> {
  const result = await db
    .deleteFrom('pdsa_cycles')
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'planned')
    .executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}
