import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { type CurrentUser, actorLabel } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { writeAudit } from '../audit/service.js'
import { recordActivity } from '../projects/activity.js'
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js'
import { screenTable } from '../core/pid-screen.js'
import { screeningPatterns } from '../core/screening-context.js'
import { checkImport, defaultMapping, type ImportCheck, type ImportMapping } from './import-check.js'
import type { ReadTable } from './import-read.js'
import { measureContext, today } from './context.js'
import * as repo from './repository.js'
import * as pointRepo from './point-repository.js'
import * as importRepo from './import-repository.js'
import { inStoringTransaction } from './result-repository.js'
import type { Measure } from './repository.js'

/** Pasted, CSV and Excel data: screened and kept for a preview, then committed (all rows or none) or discarded. */
export class MeasureImportService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

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
    await measureContext(this.db, user, measureId, 'edit')
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
    const ctx = await measureContext(this.db, user, measureId, 'edit')
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
    await inStoringTransaction(
      this.db,
      measureId,
      () => now,
      async (trx) => {
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
      },
    )
    return (check as ImportCheck | null)?.rows.length ?? 0
  }

  async discardImport(user: CurrentUser, measureId: string, importId: string): Promise<void> {
    await this.importFor(user, measureId, importId)
    await importRepo.closeImport(this.db, importId, 'discarded', this.clock().toISOString())
  }
}
