import type { Kysely, Transaction } from 'kysely'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { listedWhere } from './repository.js'

type Db = Kysely<DB> | Transaction<DB>

/** The judging panel of an occasion, its criteria and its scores: kept apart from the members' vote. */

export interface Criterion {
  id: string
  name: string
  maxScore: number
}

export async function listJudges(db: Db, occasionId: string): Promise<{ userId: string; name: string }[]> {
  const rows = await db
    .selectFrom('showcase_judges as j')
    .innerJoin('users as u', 'u.id', 'j.user_id')
    .select(['j.user_id', 'u.name'])
    .where('j.occasion_id', '=', occasionId)
    .orderBy('u.name')
    .execute()
  return rows.map((r) => ({ userId: r.user_id, name: r.name }))
}

export async function isJudge(db: Db, occasionId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('showcase_judges')
    .select('user_id')
    .where('occasion_id', '=', occasionId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Boolean(row)
}

/** Adds a judge; naming the same person twice leaves one row (the primary key is the rule). */
export async function addJudge(trx: Db, occasionId: string, userId: string): Promise<boolean> {
  const r = await trx
    .insertInto('showcase_judges')
    .values({ occasion_id: occasionId, user_id: userId })
    .onConflict((oc) => oc.columns(['occasion_id', 'user_id']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Removes a judge and the scores they gave in this occasion. */
export async function removeJudge(trx: Db, occasionId: string, userId: string): Promise<boolean> {
  await trx
    .deleteFrom('showcase_scores')
    .where('occasion_id', '=', occasionId)
    .where('judge_id', '=', userId)
    .execute()
  const r = await trx
    .deleteFrom('showcase_judges')
    .where('occasion_id', '=', occasionId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function listCriteria(db: Db, occasionId: string): Promise<Criterion[]> {
  const rows = await db
    .selectFrom('showcase_criteria')
    .select(['id', 'name', 'max_score'])
    .where('occasion_id', '=', occasionId)
    .orderBy('sort')
    .orderBy('name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, maxScore: read.num(r.max_score) }))
}

export async function insertCriterion(
  trx: Db,
  c: { id: string; occasionId: string; name: string; maxScore: number },
): Promise<void> {
  const last = await trx
    .selectFrom('showcase_criteria')
    .select((eb) => eb.fn.max('sort').as('sort'))
    .where('occasion_id', '=', c.occasionId)
    .executeTakeFirst()
  await trx
    .insertInto('showcase_criteria')
    .values({
      id: c.id,
      occasion_id: c.occasionId,
      name: c.name,
      max_score: c.maxScore,
      sort: read.num(last?.sort ?? 0) + 1,
    })
    .execute()
}

/** Removes a criterion and every score given against it. */
export async function deleteCriterion(trx: Db, occasionId: string, id: string): Promise<boolean> {
  await trx.deleteFrom('showcase_scores').where('criterion_id', '=', id).execute()
  const r = await trx
    .deleteFrom('showcase_criteria')
    .where('occasion_id', '=', occasionId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function scoresOf(
  db: Db,
  occasionId: string,
  judgeId: string,
): Promise<{ itemId: string; criterionId: string; score: number }[]> {
  const rows = await db
    .selectFrom('showcase_scores')
    .select(['item_id', 'criterion_id', 'score'])
    .where('occasion_id', '=', occasionId)
    .where('judge_id', '=', judgeId)
    .execute()
  return rows.map((r) => ({ itemId: r.item_id, criterionId: r.criterion_id, score: read.num(r.score) }))
}

/** A judge's score against one criterion, made or changed in one statement. */
export async function upsertScore(
  trx: Db,
  s: {
    id: string
    occasionId: string
    criterionId: string
    judgeId: string
    itemId: string
    score: number
    at: string
  },
): Promise<void> {
  await trx
    .insertInto('showcase_scores')
    .values({
      id: s.id,
      occasion_id: s.occasionId,
      criterion_id: s.criterionId,
      judge_id: s.judgeId,
      item_id: s.itemId,
      score: s.score,
      updated_at: s.at,
    })
    .onConflict((oc) =>
      oc.columns(['item_id', 'judge_id', 'criterion_id']).doUpdateSet({ score: s.score, updated_at: s.at }),
    )
    .execute()
}

/**
 * Per published poster (withdrawn or unconsented posters' scores no longer count): how many judges scored it and the sum of every score given. A judge's
 * total is the sum over criteria, so the mean total is the sum over judges' totals / judges.
 */
export async function scoreTotals(
  db: Db,
  occasionId: string,
): Promise<{ itemId: string; title: string; judges: number; sum: number }[]> {
  const rows = await db
    .selectFrom('showcase_scores as s')
    .innerJoin('showcase_items', 'showcase_items.id', 's.item_id')
    .innerJoin('showcase_judges as j', (join) =>
      join.onRef('j.occasion_id', '=', 's.occasion_id').onRef('j.user_id', '=', 's.judge_id'),
    )
    .select((eb) => [
      's.item_id',
      'showcase_items.title',
      eb.fn.count<number>('s.judge_id').distinct().as('judges'),
      eb.fn.sum<number>('s.score').as('sum'),
    ])
    .where('s.occasion_id', '=', occasionId)
    .where(listedWhere(true))
    .groupBy(['s.item_id', 'showcase_items.title'])
    .execute()
  return rows.map((r) => ({
    itemId: r.item_id,
    title: r.title,
    judges: read.num(r.judges),
    sum: read.num(r.sum),
  }))
}
