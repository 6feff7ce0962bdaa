import type { Kysely, Transaction } from 'kysely'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'

type Db = Kysely<DB> | Transaction<DB>

export interface FeedbackSummary {
  responses: number
  average: number | null
  /** Responses per rating, 5 (very useful) down to 1. */
  distribution: { rating: number; count: number }[]
  comments: { wentWell: string; evenBetter: string; rating: number }[]
}

export async function hasFeedback(db: Db, eventId: string, userId: string): Promise<boolean> {
  return !!(await db
    .selectFrom('event_feedback')
    .select('id')
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .executeTakeFirst())
}

export async function insertFeedback(
  db: Db,
  f: {
    id: string
    eventId: string
    userId: string
    rating: number
    wentWell: string
    evenBetter: string
    now: string
  },
): Promise<void> {
  await db
    .insertInto('event_feedback')
    .values({
      id: f.id,
      event_id: f.eventId,
      user_id: f.userId,
      rating: f.rating,
      went_well: f.wentWell,
      even_better: f.evenBetter,
      created_at: f.now,
    })
    .execute()
}

/** Ratings and comments without names: feedback is summarised anonymously. */
export async function summariseFeedback(db: Db, eventId: string): Promise<FeedbackSummary> {
  const [counts, comments] = await Promise.all([
    db
      .selectFrom('event_feedback')
      .select(['rating', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', '=', eventId)
      .groupBy('rating')
      .execute(),
    db
      .selectFrom('event_feedback')
      .select(['rating', 'went_well', 'even_better'])
      .where('event_id', '=', eventId)
      .where((eb) => eb.or([eb('went_well', '!=', ''), eb('even_better', '!=', '')]))
      .orderBy('created_at')
      .limit(500)
      .execute(),
  ])
  const distribution = [5, 4, 3, 2, 1].map((rating) => ({
    rating,
    count: read.num(counts.find((c) => read.num(c.rating) === rating)?.n),
  }))
  const responses = distribution.reduce((s, d) => s + d.count, 0)
  const total = distribution.reduce((s, d) => s + d.rating * d.count, 0)
  return {
    responses,
    average: responses ? Math.round((total / responses) * 10) / 10 : null,
    distribution,
    comments: comments.map((c) => ({
      rating: read.num(c.rating),
      wentWell: c.went_well,
      evenBetter: c.even_better,
    })),
  }
}
