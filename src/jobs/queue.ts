/**
 * Background jobs in the database, so that any app instance may run them and none is lost or
 * done twice:
 *
 * - `enqueue` writes a job (inside the caller's transaction when given one, so a job exists
 *   exactly when the change that asked for it does). With a `key`, a second request for the same
 *   kind and key while the first is still to run returns the first job's id instead.
 * - `runDue` claims one due job at a time with a lease (PostgreSQL skips rows another instance
 *   has locked; SQLite serialises writers), runs its handler and finishes it. A worker that dies
 *   leaves its lease to lapse, and the job is claimed again by whoever comes next.
 * - A handler that writes its results through `ctx.commit(fn)` has them stored in the same
 *   transaction that marks the job done, fenced by its lease: a worker whose lease lapsed and was
 *   taken over cannot commit, so the results are stored once. Work outside `commit` (sending,
 *   drawing) must be safe to repeat.
 * - A handler that throws is retried with exponential back-off until `maxAttempts`, then the job
 *   is `failed` and kept for an administrator, with the error's first 500 characters.
 */
import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely'
import { newId } from '../core/ids.js'
import { read } from '../db/database.js'
import { isPostgres } from '../db/dialect.js'
import type { DB } from '../db/schema.js'
import type { JobsTable } from '../db/tables/jobs.js'

export type JobStatus = 'queued' | 'running' | 'done' | 'failed'

export interface Job<P = unknown> {
  id: string
  kind: string
  key: string | null
  payload: P
  status: JobStatus
  attempts: number
  maxAttempts: number
  runAt: string
  lastError: string | null
  createdAt: string
  finishedAt: string | null
}

export interface JobContext {
  /** Runs `fn` and marks the job done in one transaction, if this worker still holds the job. */
  commit(fn: (trx: Transaction<DB>) => Promise<void>): Promise<void>
  /** Seconds left on the lease: a long handler checks it between steps. */
  leaseLeft(): number
}

export type JobHandler<P = unknown> = (job: Job<P>, ctx: JobContext) => Promise<void>

export interface EnqueueOptions {
  key?: string
  runAt?: Date
  maxAttempts?: number
}

/** The lease was lost (it lapsed and another worker took the job): nothing was committed. */
export class LeaseLost extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId}: the lease was lost before its results were committed`)
  }
}

const DEFAULT_MAX_ATTEMPTS = 5

export class JobQueue {
  private readonly handlers = new Map<string, JobHandler<never>>()
  readonly workerId: string

  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: { clock?: () => Date; leaseMs?: number; workerId?: string } = {},
  ) {
    this.workerId = options.workerId ?? newId()
  }

  private now(): Date {
    return (this.options.clock ?? (() => new Date()))()
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 5 * 60_000
  }

  /** Registers what a kind of job does. One handler per kind. */
  handle<P>(kind: string, handler: JobHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`a handler for ${kind} is already registered`)
    this.handlers.set(kind, handler)
  }

  /** Queues a job; with a key, returns the live job of that kind and key when there is one. */
  async enqueue(
    kind: string,
    payload: unknown,
    options: EnqueueOptions = {},
    db: Kysely<DB> | Transaction<DB> = this.db,
  ): Promise<string> {
    const now = this.now().toISOString()
    const id = newId()
    const key = options.key ?? null
    const live = () =>
      db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', kind)
        .where('dedupe_key', '=', key)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst()
    if (key !== null) {
      const existing = await live()
      if (existing) return existing.id
    }
    const inserted = await db
      .insertInto('jobs')
      .values({
        id,
        kind,
        dedupe_key: key,
        payload: JSON.stringify(payload ?? null),
        status: 'queued',
        max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        run_at: (options.runAt ?? this.now()).toISOString(),
        locked_until: null,
        locked_by: null,
        last_error: null,
        created_at: now,
        finished_at: null,
      })
      // Two requests racing past the check above: the partial unique index keeps one.
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return id
    const winner = await live()
    if (!winner) throw new Error(`job ${kind}/${key}: neither inserted nor found`)
    return winner.id
  }

  async get<P = unknown>(id: string): Promise<Job<P> | null> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toJob<P>(row) : null
  }

  /** Counts by status, for the admin page and the benchmarks. */
  async counts(): Promise<Record<JobStatus, number>> {
    const rows = await this.db
      .selectFrom('jobs')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute()
    const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 }
    for (const r of rows) out[r.status as JobStatus] = read.num(r.n)
    return out
  }

  /** Deletes jobs done before `olderThan`; failed ones stay for an administrator. */
  async prune(olderThan: Date): Promise<void> {
    await this.db
      .deleteFrom('jobs')
      .where('status', '=', 'done')
      .where('finished_at', '<', olderThan.toISOString())
      .execute()
  }

  /** Claims the oldest due job of a registered kind, or returns null. */
  private async claim(): Promise<Selectable<JobsTable> | null> {
    const kinds = [...this.handlers.keys()]
    if (kinds.length === 0) return null
    const now = this.now()
    const nowIso = now.toISOString()
    const due = (eb: ExpressionBuilder<DB, 'jobs'>) =>
      eb.and([
        eb('kind', 'in', kinds),
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', nowIso)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', nowIso)]),
        ]),
      ])
    const postgres = isPostgres(this.db)
    const claimed = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        locked_by: this.workerId,
        locked_until: new Date(now.getTime() + this.leaseMs).toISOString(),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', (eb) => {
        const oldest = eb.selectFrom('jobs').select('id').where(due).orderBy('run_at').orderBy('id').limit(1)
        return postgres ? oldest.forUpdate().skipLocked() : oldest
      })
      .where(due)
      .returningAll()
      .executeTakeFirst()
    return claimed ?? null
  }

  /** Runs one due job. Returns false when none was due. */
  async runOne(): Promise<boolean> {
    const row = await this.claim()
    if (!row) return false
    const job = toJob(row)
    const handler = this.handlers.get(job.kind)!
    const leaseEnds = this.now().getTime() + this.leaseMs
    const mine = (eb: ExpressionBuilder<DB, 'jobs'>) =>
      eb.and([eb('id', '=', job.id), eb('status', '=', 'running'), eb('locked_by', '=', this.workerId)])
    // Done only while this worker still holds the job (status running, its lease).
    const markDone = (db: Kysely<DB> | Transaction<DB>) =>
      db
        .updateTable('jobs')
        .set({ status: 'done', finished_at: this.now().toISOString(), locked_until: null, last_error: null })
        .where(mine)
        .executeTakeFirst()
    let committed = false
    const ctx: JobContext = {
      commit: async (fn) => {
        await this.db.transaction().execute(async (trx) => {
          const done = await markDone(trx)
          if (Number(done.numUpdatedRows) !== 1) throw new LeaseLost(job.id)
          await fn(trx)
        })
        committed = true
      },
      leaseLeft: () => Math.max(0, (leaseEnds - this.now().getTime()) / 1000),
    }
    try {
      await handler(job as Job<never>, ctx)
      if (!committed) await markDone(this.db)
    } catch (error) {
      if (error instanceof LeaseLost) return true
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500)
      const giveUp = job.attempts >= job.maxAttempts
      const backoffMs = Math.min(2 ** job.attempts * 15_000, 3600_000)
      await this.db
        .updateTable('jobs')
        .set({
          status: giveUp ? 'failed' : 'queued',
          last_error: message,
          locked_until: null,
          locked_by: null,
          run_at: new Date(this.now().getTime() + backoffMs).toISOString(),
          finished_at: giveUp ? this.now().toISOString() : null,
        })
        .where(mine)
        .execute()
    }
    return true
  }

  /** Runs due jobs until none is left or `max` have run (the worker calls this each tick). */
  async runDue(max = 20): Promise<number> {
    let ran = 0
    while (ran < max && (await this.runOne())) ran++
    return ran
  }
}

function toJob<P>(row: Selectable<JobsTable>): Job<P> {
  return {
    id: row.id,
    kind: row.kind,
    key: row.dedupe_key,
    payload: read.json<P | null>(row.payload, null) as P,
    status: row.status as JobStatus,
    attempts: read.num(row.attempts),
    maxAttempts: read.num(row.max_attempts),
    runAt: row.run_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  }
}
