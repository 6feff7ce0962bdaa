import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { type CurrentUser, actorLabel } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { writeAudit } from '../audit/service.js'
import { requireProjectAccess, type Need } from '../projects/access.js'
import { recordActivity } from '../projects/activity.js'
import type { ProjectAccess } from '../projects/policy.js'
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../core/errors.js'
import { renderPng } from '../charts/png.js'
import { analyseMeasure, chartFor, type MeasureChartView } from './chart.js'
import { MemoCache } from '../web/memo-cache.js'
import { csvFile } from '../core/csv.js'
import type { AnnotationInput, MeasureInput, PointFormInput } from './forms.js'
import { checkImport, defaultMapping, type ImportCheck, type ImportMapping } from './import-check.js'
import type { ReadTable } from './import-read.js'
import { pdsaMarks } from './pdsa.js'
import { periodLabel } from './periods.js'
import { screenField, screenTable } from '../core/pid-screen.js'
import { screeningPatterns } from '../core/screening-context.js'
import { checkPeriod, checkValues, fieldsFor, numberOrNull, rawValueOf, type PointValues } from './points.js'
import { CHARTS_FOR_KIND, MULTIPLIERS, isSmallNumber, type MeasureChart } from './policy.js'
import * as repo from './repository.js'
import * as pointRepo from './point-repository.js'
import * as annotationRepo from './annotation-repository.js'
import * as importRepo from './import-repository.js'
import type { Measure, MeasureValues } from './repository.js'
import type { DataPoint } from './point-repository.js'
import type { Annotation } from './annotation-repository.js'

export type { Measure } from './repository.js'
export type { DataPoint } from './point-repository.js'
export type { Annotation } from './annotation-repository.js'

export interface MeasureContext {
  measure: Measure
  project: { id: string; title: string; status: string; visibility: string }
  access: ProjectAccess
}

/** A data point as a viewer may see it: small numbers already removed for people outside the team. */
export interface ViewerPoint {
  period: string
  value: number | null
  numerator: number | null
  denominator: number | null
  /** The plotted value (numerator ÷ denominator × the "show as" multiplier, or the value). */
  plotted: number | null
  excluded: boolean
  exclusionReason: string | null
  suppressed: boolean
}

export interface ApiPointInput {
  period?: unknown
  value?: unknown
  numerator?: unknown
  denominator?: unknown
}

const today = (clock: () => Date) => clock().toISOString().slice(0, 10)

/** Measures of a project: definitions, data (form, paste, files), annotations, charts and downloads. */
export class MeasureService {
  private readonly charts = new MemoCache<MeasureChartView>()
  private readonly summaries = new MemoCache<{ summary: MeasureChartView['summary']; description: string }>(
    5000,
  )

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  /** The measure, its project and what this user may do; "not found" when they may not see it. */
  async context(user: CurrentUser | null, measureId: string, need: Need = 'view'): Promise<MeasureContext> {
    const measure = await repo.findMeasure(this.db, measureId)
    if (!measure) throw new NotFoundError()
    const { facts, access } = await requireProjectAccess(this.db, user, measure.projectId, need)
    return {
      measure,
      project: { id: facts.id, title: facts.title, status: facts.status, visibility: facts.visibility },
      access,
    }
  }

  async projectContext(user: CurrentUser | null, projectId: string, need: Need = 'view') {
    const { facts, access } = await requireProjectAccess(this.db, user, projectId, need)
    return {
      project: { id: facts.id, title: facts.title, status: facts.status, visibility: facts.visibility },
      access,
    }
  }

  /** A project's measures, each with the summary of its chart (icons, latest value). */
  async listForProject(user: CurrentUser | null, projectId: string) {
    const { project, access } = await this.projectContext(user, projectId)
    const measures = await repo.listMeasures(this.db, projectId)
    const rebases = await annotationRepo.listRebasesOf(
      this.db,
      measures.map((m) => m.id),
    )
    const keyOf = (m: Measure) =>
      JSON.stringify([
        'summary',
        m.id,
        m.version,
        m.dataVersion,
        access.seeSmallNumbers,
        (rebases.get(m.id) ?? []).map((a) => [a.id, a.date]),
      ])
    const missing = measures.filter((m) => !this.summaries.get(keyOf(m)))
    const points = await pointRepo.listSeriesOf(
      this.db,
      missing.map((m) => m.id),
    )
    for (const m of missing) {
      const view = analyseMeasure(m, points.get(m.id) ?? [], rebases.get(m.id) ?? [], [], {
        seeSmallNumbers: access.seeSmallNumbers,
        svg: false,
        rows: false,
      })
      this.summaries.set(keyOf(m), { summary: view.summary, description: view.description }, 2000)
    }
    const items = measures.map((m) => ({ measure: m, ...this.summaries.get(keyOf(m))! }))
    return { project, access, items }
  }

  /**
   * Everything the measure page shows (the data table: every point, or the latest `rows`).
   * The drawn chart is cached by everything it is drawn from (see web/memo-cache.ts), so a page
   * view costs the access check and three small queries; `withPoints` also loads the series.
   */
  async page(
    user: CurrentUser | null,
    measureId: string,
    options: { width?: number; rows?: number; withPoints?: boolean } = {},
  ) {
    const ctx = await this.context(user, measureId)
    const [annotations, marks] = await Promise.all([
      annotationRepo.listAnnotations(this.db, measureId),
      pdsaMarks(this.db, measureId),
    ])
    const m = ctx.measure
    const key = JSON.stringify([
      m.id,
      m.version,
      m.dataVersion,
      ctx.access.seeSmallNumbers,
      options.rows ?? 'all',
      options.width ?? 0,
      annotations.map((a) => [a.id, a.date, a.text, a.isRebase]),
      marks,
    ])
    let chart = options.withPoints ? undefined : this.charts.get(key)
    let points: pointRepo.SeriesPoint[] = []
    if (!chart) {
      points = await pointRepo.listSeries(this.db, measureId)
      chart = analyseMeasure(m, points, annotations, marks, {
        seeSmallNumbers: ctx.access.seeSmallNumbers,
        id: `measure-${measureId}`,
        width: options.width,
        rows: options.rows,
      })
      this.charts.set(key, chart, (chart.svg?.length ?? 0) + chart.rows.length * 300 + 2000)
    }
    return { ...ctx, points, annotations, marks, chart }
  }

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
    await this.projectContext(user, projectId, 'edit')
    const values = this.values(input)
    const id = newId()
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
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
    })
    return id
  }

  async update(user: CurrentUser, measureId: string, input: MeasureInput, ip?: string): Promise<void> {
    const { measure } = await this.context(user, measureId, 'edit')
    const values = this.values(input)
    if (values.dataKind !== measure.dataKind && (await pointRepo.countPoints(this.db, measureId)) > 0)
      throw new ValidationError({
        dataKind:
          'You cannot change the kind of data once the measure has data: delete its data points first, or add a new measure',
      })
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
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
    })
  }

  async remove(user: CurrentUser, measureId: string, ip?: string): Promise<string> {
    const { measure } = await this.context(user, measureId, 'manage')
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
    const { measure } = await this.context(user, measureId, 'edit')
    const period = this.period(input.period)
    const values = this.pointValues(measure, input)
    const reason = this.reason(input)
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
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
    })
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
    const ctx = await this.context(user, measureId, 'edit')
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
    await this.db.transaction().execute(async (trx) => {
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
    })
  }

  async deletePoint(user: CurrentUser, measureId: string, period: string, ip?: string): Promise<void> {
    const { point } = await this.point(user, measureId, period)
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
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
    })
  }

  /**
   * Keeps an uploaded or pasted table for its preview, after screening every cell for patient
   * data: when anything looks like an NHS number, a date of birth or a postcode, nothing is
   * stored and the rows are named.
   */
  async startImport(
    user: CurrentUser,
    measureId: string,
    table: ReadTable,
    options: { filename: string; replace: boolean },
  ): Promise<{ ok: true; importId: string } | { ok: false; problems: string[] }> {
    await this.context(user, measureId, 'edit')
    const findings = screenTable(table.cells, 200, screeningPatterns())
    if (findings.length)
      return {
        ok: false,
        problems: [
          `${findings.length >= 200 ? 'At least 200' : findings.length} ${findings.length === 1 ? 'cell looks' : 'cells look'} like patient-identifiable data. Measures take aggregate numbers only: remove NHS numbers, dates of birth and postcodes, then try again. Nothing has been stored.`,
          ...findings.slice(0, 50).map((f) => f.message),
          ...(findings.length > 50 ? [`…and ${findings.length - 50} more`] : []),
        ],
      }
    const id = newId()
    const now = this.clock()
    await this.db.transaction().execute(async (trx) => {
      await importRepo.pruneImports(trx, new Date(now.getTime() - 24 * 3600_000).toISOString())
      await importRepo.insertImport(trx, {
        id,
        measureId,
        userId: user.id,
        source: table.source,
        filename: options.filename.slice(0, 200),
        cells: table.cells,
        notes: table.notes,
        rowCount: table.cells.length,
        replaceExisting: options.replace,
        status: 'preview',
        createdAt: now.toISOString(),
      })
    })
    return { ok: true, importId: id }
  }

  private async importFor(user: CurrentUser, measureId: string, importId: string) {
    const ctx = await this.context(user, measureId, 'edit')
    const found = await importRepo.findImport(this.db, importId)
    if (!found || found.measureId !== measureId || found.userId !== user.id || found.status !== 'preview')
      throw new NotFoundError('This import has already been finished or has expired. Upload the file again.')
    return { ...ctx, imported: found }
  }

  private mapping(cells: string[][], measure: Measure, query: Partial<ImportMapping>): ImportMapping {
    const guess = defaultMapping(cells, measure.dataKind)
    return {
      hasHeader: query.hasHeader ?? guess.hasHeader,
      date: query.date ?? guess.date,
      first: query.first ?? guess.first,
      second: query.second ?? guess.second,
    }
  }

  /** The preview: every row checked against the measure, nothing stored yet. */
  async preview(user: CurrentUser, measureId: string, importId: string, query: Partial<ImportMapping>) {
    const ctx = await this.importFor(user, measureId, importId)
    const mapping = this.mapping(ctx.imported.cells, ctx.measure, query)
    const existing = await pointRepo.existingPeriods(this.db, measureId)
    const check = checkImport(ctx.imported.cells, ctx.measure.dataKind, mapping, {
      existingPeriods: existing,
      replace: ctx.imported.replaceExisting,
      today: today(this.clock),
    })
    return { ...ctx, mapping, check }
  }

  /**
   * Imports every row or none: the rows are checked again inside the transaction (against the
   * data as it is then), and any problem rolls everything back.
   */
  async commitImport(
    user: CurrentUser,
    measureId: string,
    importId: string,
    query: Partial<ImportMapping>,
    ip?: string,
  ): Promise<number> {
    const { measure, imported } = await this.importFor(user, measureId, importId)
    const mapping = this.mapping(imported.cells, measure, query)
    const now = this.clock().toISOString()
    let check: ImportCheck | null = null
    await this.db.transaction().execute(async (trx) => {
      const existing = await pointRepo.existingPeriods(trx, measureId)
      check = checkImport(imported.cells, measure.dataKind, mapping, {
        existingPeriods: existing,
        replace: imported.replaceExisting,
        today: today(this.clock),
      })
      if (check.errors.length || check.fileErrors.length || check.rows.length === 0)
        throw new ValidationError({
          file: check.fileErrors[0] ?? check.errors[0]?.message ?? 'There are no rows to import',
        })
      if (!(await importRepo.closeImport(trx, importId, 'committed', now)))
        throw new ConflictError('This import has already been finished.')
      await pointRepo.insertPoints(trx, measureId, check.rows, {
        enteredBy: user.id,
        now,
        replace: imported.replaceExisting,
      })
      await repo.touchMeasureData(trx, measureId, now)
      const replaced = check.rows.filter((r) => r.replaces).length
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'measure.data_imported',
        entityType: 'measure',
        entityId: measureId,
        ip,
        after: {
          source: imported.source,
          filename: imported.filename,
          rows: check.rows.length,
          replaced,
          mapping,
        },
      })
      await recordActivity(trx, {
        projectId: measure.projectId,
        actorId: user.id,
        kind: 'measure.data_imported',
        summary: `Imported ${check.rows.length} data ${check.rows.length === 1 ? 'point' : 'points'} into "${measure.name}"${imported.source === 'paste' ? ' (pasted)' : imported.filename ? ` from ${imported.filename}` : ''}`,
        at: now,
      })
    })
    return (check as ImportCheck | null)?.rows.length ?? 0
  }

  async discardImport(user: CurrentUser, measureId: string, importId: string): Promise<void> {
    await this.importFor(user, measureId, importId)
    await importRepo.closeImport(this.db, importId, 'discarded', this.clock().toISOString())
  }

  async addAnnotation(
    user: CurrentUser,
    measureId: string,
    input: AnnotationInput,
    ip?: string,
  ): Promise<void> {
    const { measure } = await this.context(user, measureId, 'edit')
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
    await this.db.transaction().execute(async (trx) => {
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
    })
  }

  /** One annotation of a measure the user may edit (for the confirmation page). */
  async annotation(user: CurrentUser, measureId: string, annotationId: string) {
    const { measure } = await this.context(user, measureId, 'edit')
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
    await this.context(user, measureId, 'edit')
    const annotation = await annotationRepo.findAnnotation(this.db, annotationId)
    if (!annotation || annotation.measureId !== measureId) throw new NotFoundError()
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
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
    })
  }

  /** The data as this viewer may see it (small numbers suppressed outside the team). */
  viewerPoints(
    measure: Measure,
    points: readonly pointRepo.SeriesPoint[],
    seeSmallNumbers: boolean,
  ): ViewerPoint[] {
    const two = measure.dataKind === 'proportion' || measure.dataKind === 'rate'
    return points.map((p) => {
      const suppressed = !seeSmallNumbers && isSmallNumber(measure.dataKind, p)
      const raw = rawValueOf(measure.dataKind, p)
      return {
        period: p.period,
        value: suppressed || two ? null : p.value,
        numerator: suppressed ? null : p.numerator,
        denominator: suppressed ? null : p.denominator,
        plotted: suppressed || raw === null ? null : raw * (two ? measure.multiplier : 1),
        excluded: p.excluded,
        exclusionReason: p.exclusionReason,
        suppressed,
      }
    })
  }

  private async exported(user: CurrentUser | null, measureId: string, format: string, ip?: string) {
    const page = await this.page(user, measureId, { withPoints: true })
    const now = this.clock().toISOString()
    await writeAudit(this.db, now, {
      actorId: user?.id ?? null,
      actorLabel: actorLabel(user),
      action: 'measure.exported',
      entityType: 'measure',
      entityId: measureId,
      ip,
      after: { format, suppressed: page.chart.suppressedCount },
    })
    return page
  }

  /** The data (with the chart's centre, limits and signals) as CSV for Excel and Power BI. */
  async csv(
    user: CurrentUser | null,
    measureId: string,
    ip?: string,
  ): Promise<{ filename: string; body: string }> {
    const page = await this.exported(user, measureId, 'csv', ip)
    const points = this.viewerPoints(page.measure, page.points, page.access.seeSmallNumbers)
    const rows = points.map((p, i) => {
      const r = page.chart.result?.points[i]
      return [
        p.period,
        p.plotted,
        page.measure.dataKind === 'proportion' || page.measure.dataKind === 'rate' ? p.numerator : p.value,
        p.denominator,
        p.excluded,
        p.exclusionReason ?? '',
        p.suppressed,
        r?.centre ?? null,
        r?.lcl ?? null,
        r?.ucl ?? null,
        page.chart.rows[i]?.signal ?? '',
      ]
    })
    const header = [
      'period',
      'value',
      page.measure.dataKind === 'proportion' || page.measure.dataKind === 'rate' ? 'numerator' : 'raw_value',
      'denominator',
      'excluded',
      'exclusion_reason',
      'suppressed',
      'centre',
      'lower_limit',
      'upper_limit',
      'signal',
    ]
    return { filename: `${slug(page.measure.name)}.csv`, body: csvFile(header, rows) }
  }

  async svg(
    user: CurrentUser | null,
    measureId: string,
    ip?: string,
  ): Promise<{ filename: string; body: string }> {
    const page = await this.exported(user, measureId, 'svg', ip)
    if (!page.chart.svg) throw new NotFoundError('This measure has no data to chart yet.')
    return {
      filename: `${slug(page.measure.name)}.svg`,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n${page.chart.svg}`,
    }
  }

  async png(
    user: CurrentUser | null,
    measureId: string,
    ip?: string,
  ): Promise<{ filename: string; body: Buffer }> {
    const page = await this.exported(user, measureId, 'png', ip)
    if (!page.chart.svg) throw new NotFoundError('This measure has no data to chart yet.')
    return { filename: `${slug(page.measure.name)}.png`, body: renderPng(page.chart.svg, { scale: 2 }) }
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
    const { measure } = await this.context(user, measureId, 'edit')
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
    await this.db.transaction().execute(async (trx) => {
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
    })
    return ready.map((r) => r.period)
  }

  /** The chart type in use for a measure with this many points (for forms and lists). */
  chartFor(measure: Measure, points: number): MeasureChart {
    return chartFor(measure, points)
  }
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'measure'
  )
}
