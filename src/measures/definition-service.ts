import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { type CurrentUser, actorLabel } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { writeAudit } from '../audit/service.js'
import { recordActivity } from '../projects/activity.js'
import { ConflictError, ValidationError, type FieldErrors } from '../core/errors.js'
import { screenField } from '../core/pid-screen.js'
import type { MeasureInput } from './forms.js'
import { CHARTS_FOR_KIND, MULTIPLIERS, type MeasureChart } from './policy.js'
import { measureContext, projectContext } from './context.js'
import * as repo from './repository.js'
import * as pointRepo from './point-repository.js'
import { inStoringTransaction } from './result-repository.js'
import type { Measure, MeasureValues } from './repository.js'

/** Measure definitions: adding a measure to a project, changing its definition, deleting it with its data. */
export class MeasureDefinitionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  formValues(m: Measure) {
    return {
      type: m.type,
      name: m.name,
      unit: m.unit,
      numerator: m.numerator,
      denominator: m.denominator,
      inclusions: m.inclusions,
      exclusions: m.exclusions,
      source: m.source,
      sampling: m.sampling,
      frequency: m.frequency,
      collector: m.collector,
      direction: m.direction,
      target: m.target === null ? '' : String(m.target),
      dataKind: m.dataKind,
      chartType: m.chartType ?? 'auto',
      multiplier: String(m.multiplier),
      version: m.version,
    }
  }

  private values(input: MeasureInput): MeasureValues {
    const errors: FieldErrors = {}
    for (const field of [
      'name',
      'unit',
      'numerator',
      'denominator',
      'inclusions',
      'exclusions',
      'source',
      'sampling',
      'frequency',
      'collector',
    ] as const) {
      const problem = screenField(input[field])
      if (problem) errors[field] = problem
    }
    const chartType = input.chartType === 'auto' ? null : (input.chartType as MeasureChart)
    if (chartType && !CHARTS_FOR_KIND[input.dataKind].includes(chartType))
      errors.chartType = `A ${chartType === 'i' ? 'XmR' : chartType.toUpperCase()} chart does not suit this kind of data: choose ${CHARTS_FOR_KIND[input.dataKind].map((c) => (c === 'i' ? 'XmR' : c === 'run' ? 'run' : c.toUpperCase())).join(', ')} or let the platform suggest one`
    const allowed = MULTIPLIERS[input.dataKind].map((o) => o.value)
    const multiplier = allowed.includes(input.multiplier) ? input.multiplier : allowed[0]
    if (Object.keys(errors).length) throw new ValidationError(errors)
    return {
      type: input.type,
      name: input.name,
      unit: input.unit,
      numerator: input.numerator,
      denominator: input.denominator,
      inclusions: input.inclusions,
      exclusions: input.exclusions,
      source: input.source,
      sampling: input.sampling,
      frequency: input.frequency,
      collector: input.collector,
      direction: input.direction,
      target: input.target,
      dataKind: input.dataKind,
      chartType,
      multiplier,
    }
  }

  async create(user: CurrentUser, projectId: string, input: MeasureInput, ip?: string): Promise<string> {
    await projectContext(this.db, user, projectId, 'edit')
    const values = this.values(input)
    const id = newId()
    const now = this.clock().toISOString()
    await inStoringTransaction(
      this.db,
      id,
      () => now,
      async (trx) => {
        await repo.insertMeasure(trx, { ...values, id, projectId, createdBy: user.id, now })
        await writeAudit(trx, now, {
          actorId: user.id,
          actorLabel: actorLabel(user),
          action: 'measure.created',
          entityType: 'measure',
          entityId: id,
          ip,
          after: values,
        })
        await recordActivity(trx, {
          projectId,
          actorId: user.id,
          kind: 'measure.created',
          summary: `Added the ${values.type} measure "${values.name}"`,
          at: now,
        })
      },
    )
    return id
  }

  async update(user: CurrentUser, measureId: string, input: MeasureInput, ip?: string): Promise<void> {
    const { measure } = await measureContext(this.db, user, measureId, 'edit')
    const values = this.values(input)
    if (values.dataKind !== measure.dataKind && (await pointRepo.countPoints(this.db, measureId)) > 0)
      throw new ValidationError({
        dataKind:
          'You cannot change the kind of data once the measure has data: delete its data points first, or add a new measure',
      })
    const now = this.clock().toISOString()
    await inStoringTransaction(
      this.db,
      measureId,
      () => now,
      async (trx) => {
        const saved = await repo.updateMeasure(trx, measureId, input.version, values, now)
        if (!saved)
          throw new ConflictError(
            'Someone else changed this measure after you opened it. Your changes have not been saved: check the measure as it is now, then make your changes again.',
          )
        await writeAudit(trx, now, {
          actorId: user.id,
          actorLabel: actorLabel(user),
          action: 'measure.updated',
          entityType: 'measure',
          entityId: measureId,
          ip,
          before: this.formValues(measure),
          after: values,
        })
      },
    )
  }

  async remove(user: CurrentUser, measureId: string, ip?: string): Promise<string> {
    const { measure } = await measureContext(this.db, user, measureId, 'manage')
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const points = await pointRepo.countPoints(trx, measureId)
      await repo.deleteMeasure(trx, measureId)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'measure.deleted',
        entityType: 'measure',
        entityId: measureId,
        ip,
        before: { ...this.formValues(measure), points },
      })
      await recordActivity(trx, {
        projectId: measure.projectId,
        actorId: user.id,
        kind: 'measure.deleted',
        summary: `Deleted the measure "${measure.name}" and its ${points} data points`,
        at: now,
      })
    })
    return measure.projectId
  }
}
