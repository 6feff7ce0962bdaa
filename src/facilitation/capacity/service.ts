import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { ReportCache } from '../report-cache.js'
import { writeAudit } from '../../audit/service.js'
import { actorLabel, type CurrentUser } from '../../core/identity.js'
import { ForbiddenError, ValidationError, type FieldErrors } from '../../core/errors.js'
import type { AssignmentInput } from '../forms.js'
import { isPostgres } from '../../db/dialect.js'
import { addMonths, monthLabel, monthOf, monthRange } from './months.js'
import { canSetCapacity } from '../policy.js'
import {
  availableHours,
  committedHours,
  isCoach,
  listCoaches,
  setAvailableHours,
  type Coach,
} from './repository.js'

export interface MonthCapacity {
  month: string
  label: string
  available: number
  committed: number
  actual: number
  left: number
}

export interface CapacityOverview {
  months: MonthCapacity[]
  coaches: (Coach & { cells: MonthCapacity[] })[]
}

const round = (n: number) => Math.round(n * 10) / 10

/** QI specialists' available hours per month, and what accepted work has committed of them. */
export class CapacityService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly cache: ReportCache = new ReportCache(0),
  ) {}

  /** Runs a write in a transaction, then drops the cached reports it may change. */
  private async write<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(fn)
    } finally {
      this.cache.invalidate()
    }
  }

  currentMonth(): string {
    return monthOf(this.clock())
  }

  /** This month and the next `count - 1`. */
  months(count = 6): string[] {
    return monthRange(this.currentMonth(), count)
  }

  /** `before` past months, this month and the following months: `before + after` in all. */
  monthsAround(before: number, after: number): string[] {
    return monthRange(addMonths(this.currentMonth(), -before), before + after)
  }

  async coaches(): Promise<Coach[]> {
    return listCoaches(this.db)
  }

  /** Capacity month by month (shared by every triage view; cached briefly, see ReportCache). */
  async overview(months: string[]): Promise<CapacityOverview> {
    return this.cache.get(`capacity:${months.join(',')}`, () => this.computeOverview(months))
  }

  private async computeOverview(months: string[]): Promise<CapacityOverview> {
    const [coaches, available, committed] = await Promise.all([
      listCoaches(this.db),
      availableHours(this.db, months),
      committedHours(this.db, months),
    ])
    const cell = (coachIds: string[] | null, month: string): MonthCapacity => {
      const inScope = (id: string) => coachIds === null || coachIds.includes(id)
      const a = available
        .filter((r) => r.month === month && inScope(r.coachId))
        .reduce((s, r) => s + r.hours, 0)
      const c = committed.filter((r) => r.month === month && inScope(r.coachId))
      const hours = c.reduce((s, r) => s + r.hours, 0)
      const actual = c.reduce((s, r) => s + r.actual, 0)
      return {
        month,
        label: monthLabel(month),
        available: round(a),
        committed: round(hours),
        actual: round(actual),
        left: round(a - hours),
      }
    }
    return {
      months: months.map((m) => cell(null, m)),
      coaches: coaches.map((c) => ({ ...c, cells: months.map((m) => cell([c.id], m)) })),
    }
  }

  /** Sets a QI specialist's available hours for a month; never below what is already committed. */
  async setAvailable(
    user: CurrentUser,
    input: { coachId: string; month: string; hours: number },
    ip?: string,
  ): Promise<void> {
    if (!canSetCapacity(user, input.coachId))
      throw new ForbiddenError('You can only set your own available hours')
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      if (!(await isCoach(trx, input.coachId)))
        throw new ValidationError({ coachId: 'Select a QI specialist from the list' })
      if (input.month < this.currentMonth())
        throw new ValidationError({ month: 'Month must be this month or later' })
      const [committed] = await committedHours(trx, [input.month], input.coachId)
      const before = (await availableHours(trx, [input.month], input.coachId))[0]?.hours ?? null
      if (committed && input.hours < committed.hours) {
        throw new ValidationError({
          hours: `${round(committed.hours)} hours are already committed in ${monthLabel(input.month)}; available hours cannot be fewer than that`,
        })
      }
      await setAvailableHours(trx, input.coachId, input.month, input.hours, now)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'capacity.set',
        entityType: 'user',
        entityId: input.coachId,
        ip,
        before: { month: input.month, hours: before },
        after: { month: input.month, hours: input.hours },
      })
    })
  }

  /**
   * Checks new assignments inside the caller's transaction: each QI specialist must hold the
   * coach role, the month must not be past, and the hours must fit in what is left that month
   * unless a reason for going over is given. Returns true when some row goes over.
   */
  async checkAssignments(
    trx: Transaction<DB>,
    rows: AssignmentInput[],
    overrideReason: string,
  ): Promise<boolean> {
    const errors: FieldErrors = {}
    const coaches = new Map((await listCoaches(trx)).map((c) => [c.id, c.name]))
    const thisMonth = this.currentMonth()
    const taken = new Map<string, number>()
    let over = false
    for (const row of rows) {
      const name = coaches.get(row.coachId)
      if (!name) {
        errors[`coach${row.row}`] = 'Select a QI specialist from the list'
        continue
      }
      if (row.month < thisMonth) {
        errors[`month${row.row}`] = 'Month must be this month or later'
        continue
      }
      const key = `${row.coachId}|${row.month}`
      if (taken.has(key)) {
        errors[`month${row.row}`] =
          `${name} is already in another row for ${monthLabel(row.month)}: put the hours in one row`
        continue
      }
      let lock = trx
        .selectFrom('coach_capacity')
        .select('available_hours')
        .where('coach_id', '=', row.coachId)
        .where('month', '=', row.month)
      if (isPostgres(trx)) lock = lock.forUpdate()
      await lock.executeTakeFirst()
      const available = (await availableHours(trx, [row.month], row.coachId))[0]?.hours ?? 0
      const committed = (await committedHours(trx, [row.month], row.coachId))[0]?.hours ?? 0
      const left = round(available - committed)
      taken.set(key, row.hours)
      if (row.hours > left) {
        over = true
        if (!overrideReason) {
          errors[`hours${row.row}`] =
            `${name} has ${Math.max(left, 0)} ${left === 1 ? 'hour' : 'hours'} left in ${monthLabel(row.month)}, fewer than ${row.hours}. ` +
            'Reduce the hours, or give a reason for going over capacity'
        }
      }
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors)
    return over
  }
}
