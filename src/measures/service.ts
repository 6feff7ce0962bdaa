import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { measureContext, projectContext } from './context.js'
import { MeasureDefinitionService } from './definition-service.js'
import { MeasureExportService } from './export-service.js'
import { MeasureImportService } from './import-service.js'
import { MeasurePageService } from './page-service.js'
import { MeasurePointService } from './point-service.js'
import { MeasureReportService } from './report-service.js'

export type { Measure, OperationalDefinition } from './repository.js'
export type { DataPoint } from './point-repository.js'
export type { Annotation } from './annotation-repository.js'
export type { MeasureContext } from './context.js'
export type { ViewerPoint } from './page-service.js'
export type { ApiPointInput } from './point-service.js'
export type { MeasureReport } from './report-service.js'

/**
 * Measures of a project: the one face other rooms and the routes use. Each use case lives in
 * its own module, built here once (so the chart caches are shared by pages and downloads):
 * definitions (definition-service.ts), data points and annotations (point-service.ts),
 * imports (import-service.ts), downloads (export-service.ts) and the pages (page-service.ts).
 */
export class MeasureService {
  private readonly definitions: MeasureDefinitionService
  private readonly points: MeasurePointService
  private readonly imports: MeasureImportService
  private readonly pages: MeasurePageService
  private readonly exports: MeasureExportService
  /** Figures across many projects' measures (the portfolio, the Board's summary): report-service.ts. */
  readonly reports: MeasureReportService

  constructor(
    private readonly db: Kysely<DB>,
    clock: () => Date,
  ) {
    this.definitions = new MeasureDefinitionService(db, clock)
    this.points = new MeasurePointService(db, clock)
    this.imports = new MeasureImportService(db, clock)
    this.pages = new MeasurePageService(db)
    this.exports = new MeasureExportService(db, clock, this.pages)
    this.reports = new MeasureReportService(db)
  }

  // Who may see or change what (context.ts)
  context(...args: Tail<Parameters<typeof measureContext>>) {
    return measureContext(this.db, ...args)
  }
  projectContext(...args: Tail<Parameters<typeof projectContext>>) {
    return projectContext(this.db, ...args)
  }

  // Definitions
  formValues(...args: Parameters<MeasureDefinitionService['formValues']>) {
    return this.definitions.formValues(...args)
  }
  create(...args: Parameters<MeasureDefinitionService['create']>) {
    return this.definitions.create(...args)
  }
  update(...args: Parameters<MeasureDefinitionService['update']>) {
    return this.definitions.update(...args)
  }
  remove(...args: Parameters<MeasureDefinitionService['remove']>) {
    return this.definitions.remove(...args)
  }

  // Data points and annotations
  addPoint(...args: Parameters<MeasurePointService['addPoint']>) {
    return this.points.addPoint(...args)
  }
  point(...args: Parameters<MeasurePointService['point']>) {
    return this.points.point(...args)
  }
  pointFormValues(...args: Parameters<MeasurePointService['pointFormValues']>) {
    return this.points.pointFormValues(...args)
  }
  editPoint(...args: Parameters<MeasurePointService['editPoint']>) {
    return this.points.editPoint(...args)
  }
  deletePoint(...args: Parameters<MeasurePointService['deletePoint']>) {
    return this.points.deletePoint(...args)
  }
  addPointsFromApi(...args: Parameters<MeasurePointService['addPointsFromApi']>) {
    return this.points.addPointsFromApi(...args)
  }
  addAnnotation(...args: Parameters<MeasurePointService['addAnnotation']>) {
    return this.points.addAnnotation(...args)
  }
  annotation(...args: Parameters<MeasurePointService['annotation']>) {
    return this.points.annotation(...args)
  }
  deleteAnnotation(...args: Parameters<MeasurePointService['deleteAnnotation']>) {
    return this.points.deleteAnnotation(...args)
  }

  // Imports
  startImport(...args: Parameters<MeasureImportService['startImport']>) {
    return this.imports.startImport(...args)
  }
  preview(...args: Parameters<MeasureImportService['preview']>) {
    return this.imports.preview(...args)
  }
  commitImport(...args: Parameters<MeasureImportService['commitImport']>) {
    return this.imports.commitImport(...args)
  }
  discardImport(...args: Parameters<MeasureImportService['discardImport']>) {
    return this.imports.discardImport(...args)
  }

  // Pages
  listForProject(...args: Parameters<MeasurePageService['listForProject']>) {
    return this.pages.listForProject(...args)
  }
  page(...args: Parameters<MeasurePageService['page']>) {
    return this.pages.page(...args)
  }
  annotationsOf(...args: Parameters<MeasurePageService['annotationsOf']>) {
    return this.pages.annotationsOf(...args)
  }
  viewerPoints(...args: Parameters<MeasurePageService['viewerPoints']>) {
    return this.pages.viewerPoints(...args)
  }
  withPeriods(...args: Parameters<MeasurePageService['withPeriods']>) {
    return this.pages.withPeriods(...args)
  }
  latestOfEditable(...args: Parameters<MeasurePageService['latestOfEditable']>) {
    return this.pages.latestOfEditable(...args)
  }
  sheet(...args: Parameters<MeasurePageService['sheet']>) {
    return this.pages.sheet(...args)
  }
  chartFor(...args: Parameters<MeasurePageService['chartFor']>) {
    return this.pages.chartFor(...args)
  }

  // Downloads
  csv(...args: Parameters<MeasureExportService['csv']>) {
    return this.exports.csv(...args)
  }
  picture(...args: Parameters<MeasureExportService['picture']>) {
    return this.exports.picture(...args)
  }
}

/** A function's parameters after the first (the database the service holds). */
type Tail<T extends unknown[]> = T extends [unknown, ...infer Rest] ? Rest : never
