import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { type CurrentUser, actorLabel } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { writeAudit } from '../audit/service.js'
import { recordActivity } from '../projects/activity.js'
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../core/errors.js'
import { screenField } from '../core/pid-screen.js'
import type { AnnotationInput, PointFormInput } from './forms.js'
import { pdsaMarks } from './pdsa.js'
import { periodLabel } from './periods.js'
import { checkPeriod, checkValues, fieldsFor, numberOrNull, type PointValues } from './points.js'
import { measureContext, today } from './context.js'
import * as repo from './repository.js'
import * as pointRepo from './point-repository.js'
import * as annotationRepo from './annotation-repository.js'
import type { Measure } from './repository.js'
import type { DataPoint } from './point-repository.js'
import { inStoringTransaction } from './result-repository.js'
import type { Annotation } from './annotation-repository.js'

export interface ApiPointInput {
  period?: unknown
  value?: unknown
  numerator?: unknown
  denominator?: unknown
}

/**
 * A measure's data, one point at a time: the data-point form (add, change, delete, exclude with
 * a reason), points sent through the API, and the chart's annotations and rebases.
 */
export class MeasurePointService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  /** Reads the typed numbers of a point by the measure's kind, with errors by field. */
  private pointValues(
    m: Measure,
    input: { value?: string; numerator?: string; denominator?: string },
  ): PointValues {
    const errors: FieldErrors = {}
    const out: PointValues = { value: null, numerator: null, denominator: null }
    for (const field of fieldsFor(m.dataKind)) {
      const parsed = numberOrNull(input[field])
      if (!parsed.ok) errors[field] = `The ${field} ${parsed.message}`
      else out[field] = parsed.value
    }
    Object.assign(
      errors,
      Object.fromEntries(Object.entries(checkValues(m.dataKind, out)).filter(([k]) => !errors[k])),
    )
    if (Object.keys(errors).length) throw new ValidationError(errors)
    return out
  }

  private period(text: string): string {
    const parsed = checkPeriod(text, today(this.clock))
    if (!parsed.ok) throw new ValidationError({ period: `The date ${parsed.message}` })
    return parsed.date
  }

  async addPoint(user: CurrentUser, measureId: string, input: PointFormInput, ip?: string): Promise<string> {
    const { measure } = await measureContext(this.db, user, measureId, 'edit')
    const period = this.period(input.period)
    const values = this.pointValues(measure, input)
    const reason = this.reason(input)
    const now = this.clock().toISOString()
    await inStoringTransaction(
      this.db,
      measureId,
      () => this.clock().toISOString(),
      async (trx) => {
        if (await pointRepo.findPoint(trx, measureId, period))
          throw new ValidationError({
            period: `There is already a value for ${periodLabel(period)}: change it in the data table instead`,
          })
        await pointRepo.insertPoints(
          trx,
          measureId,
          [{ period, ...values, excluded: input.excluded, exclusionReason: reason }],
          { enteredBy: user.id, now, replace: false },
        )
        await repo.touchMeasureData(trx, measureId, now)
        await writeAudit(trx, now, {
          actorId: user.id,
          actorLabel: actorLabel(user),
          action: 'measure.point_added',
          entityType: 'measure',
          entityId: measureId,
          ip,
          after: { period, ...values, excluded: input.excluded },
        })
        await recordActivity(trx, {
          projectId: measure.projectId,
          actorId: user.id,
          kind: 'measure.data_added',
          summary: `Added data for ${periodLabel(period)} to "${measure.name}"`,
          at: now,
        })
      },
    )
    return period
  }

  private reason(input: { excluded: boolean; exclusionReason: string }): string | null {
    if (!input.excluded) return null
    if (!input.exclusionReason)
      throw new ValidationError({ exclusionReason: 'Enter why this point is excluded from the calculations' })
    const problem = screenField(input.exclusionReason)
    if (problem) throw new ValidationError({ exclusionReason: problem })
    return input.exclusionReason
  }

  async point(user: CurrentUser, measureId: string, period: string) {
    const ctx = await measureContext(this.db, user, measureId, 'edit')
    const point = await pointRepo.findPoint(this.db, measureId, period)
    if (!point) throw new NotFoundError()
    return { ...ctx, point }
  }

  pointFormValues(p: DataPoint) {
    const s = (v: number | null) => (v === null ? '' : String(v))
    return {
      period: p.period,
      value: s(p.value),
      numerator: s(p.numerator),
      denominator: s(p.denominator),
      excluded: p.excluded,
      exclusionReason: p.exclusionReason ?? '',
      version: p.version,
    }
  }

  async editPoint(
    user: CurrentUser,
    measureId: string,
    period: string,
    input: PointFormInput,
    ip?: string,
  ): Promise<void> {
    const { measure, point } = await this.point(user, measureId, period)
    const newPeriod = this.period(input.period)
    const values = this.pointValues(measure, input)
    const reason = this.reason(input)
    const now = this.clock().toISOString()
    await inStoringTransaction(
      this.db,
      measureId,
      () => this.clock().toISOString(),
      async (trx) => {
        if (newPeriod !== period && (await pointRepo.findPoint(trx, measureId, newPeriod)))
          throw new ValidationError({ period: `There is already a value for ${periodLabel(newPeriod)}` })
        const saved = await pointRepo.updatePoint(trx, measureId, period, input.version, {
          period: newPeriod,
          ...values,
          excluded: input.excluded,
          exclusionReason: reason,
          enteredBy: user.id,
          now,
        })
        if (!saved)
          throw new ConflictError(
            'Someone else changed this data point after you opened it. Your change has not been saved: check the value as it is now, then try again.',
          )
        await repo.touchMeasureData(trx, measureId, now)
        await writeAudit(trx, now, {
          actorId: user.id,
          actorLabel: actorLabel(user),
          action: 'measure.point_changed',
          entityType: 'measure',
          entityId: measureId,
          ip,
          before: this.pointFormValues(point),
          after: { period: newPeriod, ...values, excluded: input.excluded, exclusionReason: reason },
        })
      },
    )
  }

  async deletePoint(user: CurrentUser, measureId: string, period: string, ip?: string): Promise<void> {
    const { point } = await this.point(user, measureId, period)
    const now = this.clock().toISOString()
    await inStoringTransaction(
      this.db,
      measureId,
      () => this.clock().toISOString(),
      async (trx) => {
        await pointRepo.deletePoint(trx, measureId, period)
        await writeAudit(trx, now, {
          actorId: user.id,
          actorLabel: actorLabel(user),
          action: 'measure.point_deleted',
          entityType: 'measure',
          entityId: measureId,
          ip,
          before: this.pointFormValues(point),
        })
      },
    )
  }

  async addAnnotation(
    user: CurrentUser,
    measureId: string,
    input: AnnotationInput,
    ip?: string,
  ): Promise<void> {
    const { measure } = await measureContext(this.db, user, measureId, 'edit')
    const errors: FieldErrors = {}
    const parsed = checkPeriod(input.date, today(this.clock))
    if (!parsed.ok) errors.date = `The date ${parsed.message}`
    const problem = screenField(input.text)
    if (problem) errors.text = problem
    else if (input.isRebase && input.text.length < 10)
      errors.text = 'Give the reason for the rebase: the lasting change that happened (10 characters or more)'
    let pdsaId: string | null = null
    if (input.pdsaId) {
      const marks = await pdsaMarks(this.db, measureId)
      if (!marks.some((m) => m.pdsaId === input.pdsaId))
        errors.pdsaId = 'Select a PDSA cycle linked to this measure'
      else pdsaId = input.pdsaId
    }
    if (Object.keys(errors).length || !parsed.ok) throw new ValidationError(errors)
    const now = this.clock().toISOString()
    const annotation: Annotation = {
      id: newId(),
      measureId,
      date: parsed.date,
      text: input.text,
      pdsaId,
      isRebase: input.isRebase,
      createdBy: user.id,
      createdAt: now,
    }
    await inStoringTransaction(
      this.db,
      measureId,
      () => this.clock().toISOString(),
      async (trx) => {
        await annotationRepo.insertAnnotation(trx, annotation)
        await writeAudit(trx, now, {
          actorId: user.id,
          actorLabel: actorLabel(user),
          action: input.isRebase ? 'measure.rebased' : 'measure.annotated',
          entityType: 'measure',
          entityId: measureId,
          ip,
          after: annotation,
        })
        if (input.isRebase)
          await recordActivity(trx, {
            projectId: measure.projectId,
            actorId: user.id,
            kind: 'measure.rebased',
            summary: `Rebased "${measure.name}" from ${periodLabel(parsed.date)}: ${input.text}`,
            at: now,
          })
      },
    )
  }

  /** One annotation of a measure the user may edit (for the confirmation page). */
  async annotation(user: CurrentUser, measureId: string, annotationId: string) {
    const { measure } = await measureContext(this.db, user, measureId, 'edit')
    const annotation = await annotationRepo.findAnnotation(this.db, annotationId)
    if (!annotation || annotation.measureId !== measureId) throw new NotFoundError()
    return { measure, annotation }
  }

  async deleteAnnotation(
    user: CurrentUser,
    measureId: string,
    annotationId: string,
    ip?: string,
  ): Promise<void> {
    await measureContext(this.db, user, measureId, 'edit')
    const annotation = await annotationRepo.findAnnotation(this.db, annotationId)
    if (!annotation || annotation.measureId !== measureId) throw new NotFoundError()
    const now = this.clock().toISOString()
    await inStoringTransaction(
      this.db,
      measureId,
      () => this.clock().toISOString(),
      async (trx) => {
        await annotationRepo.deleteAnnotation(trx, annotationId)
        await writeAudit(trx, now, {
          actorId: user.id,
          actorLabel: actorLabel(user),
          action: 'measure.annotation_deleted',
          entityType: 'measure',
          entityId: measureId,
          ip,
          before: annotation,
        })
      },
    )
  }

  /**
   * Adds points from the API, all or none. Errors name the field: `period`, `value`, … for one
   * point, `points.3.value` for the fourth of several.
   */
  async addPointsFromApi(
    user: CurrentUser,
    measureId: string,
    input: ApiPointInput[],
    single: boolean,
    ip?: string,
  ): Promise<string[]> {
    const { measure } = await measureContext(this.db, user, measureId, 'edit')
    const errors: FieldErrors = {}
    const prefix = (i: number) => (single ? '' : `points.${i}.`)
    const ready: {
      period: string
      value: number | null
      numerator: number | null
      denominator: number | null
    }[] = []
    const seen = new Set<string>()
    const existing = await pointRepo.existingPeriods(this.db, measureId)
    input.forEach((p, i) => {
      const row: {
        period: string
        value: number | null
        numerator: number | null
        denominator: number | null
      } = { period: '', value: null, numerator: null, denominator: null }
      const before = Object.keys(errors).length
      if (typeof p.period !== 'string')
        errors[`${prefix(i)}period`] = 'Give the period as a date, like 2024-04-01'
      else {
        const parsed = checkPeriod(p.period, today(this.clock))
        if (!parsed.ok) errors[`${prefix(i)}period`] = `The period ${parsed.message}`
        else if (seen.has(parsed.date) || existing.has(parsed.date))
          errors[`${prefix(i)}period`] = `There is already a value for ${periodLabel(parsed.date)}`
        else {
          row.period = parsed.date
          seen.add(parsed.date)
        }
      }
      for (const field of fieldsFor(measure.dataKind)) {
        const v = p[field]
        if (v === undefined || v === null || v === '') continue
        if (typeof v !== 'number' || !Number.isFinite(v))
          errors[`${prefix(i)}${field}`] = `The ${field} must be a number`
        else row[field] = v
      }
      for (const field of ['value', 'numerator', 'denominator'] as const)
        if (!fieldsFor(measure.dataKind).includes(field) && p[field] !== undefined && p[field] !== null)
          errors[`${prefix(i)}${field}`] =
            `This measure takes ${fieldsFor(measure.dataKind).join(' and ')}, not ${field}`
      for (const [field, message] of Object.entries(checkValues(measure.dataKind, row)))
        if (!errors[`${prefix(i)}${field}`]) errors[`${prefix(i)}${field}`] = message
      if (Object.keys(errors).length === before) ready.push(row)
    })
    if (input.length === 0) errors.points = 'Send at least one data point'
    if (Object.keys(errors).length) throw new ValidationError(errors)
    const now = this.clock().toISOString()
    await inStoringTransaction(
      this.db,
      measureId,
      () => this.clock().toISOString(),
      async (trx) => {
        await pointRepo.insertPoints(trx, measureId, ready, { enteredBy: user.id, now, replace: false })
        await repo.touchMeasureData(trx, measureId, now)
        await writeAudit(trx, now, {
          actorId: user.id,
          actorLabel: actorLabel(user),
          action: 'measure.data_added_api',
          entityType: 'measure',
          entityId: measureId,
          ip,
          after: { rows: ready.length },
        })
        await recordActivity(trx, {
          projectId: measure.projectId,
          actorId: user.id,
          kind: 'measure.data_added',
          summary: `Added ${ready.length} data ${ready.length === 1 ? 'point' : 'points'} to "${measure.name}" through the API`,
          at: now,
        })
      },
    )
    return ready.map((r) => r.period)
  }
}
