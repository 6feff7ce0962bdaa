import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { type CurrentUser, actorLabel } from '../core/identity.js'
import { writeAudit } from '../audit/service.js'
import { NotFoundError } from '../core/errors.js'
import { fileName, pictureFile, type PictureFormat } from '../charts/files.js'
import { csvFile } from '../core/csv.js'
import type { MeasurePageService } from './page-service.js'

/** Downloads of a measure: its data as CSV, its chart as SVG or PNG, each audited. */
export class MeasureExportService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly pages: MeasurePageService,
  ) {}

  private async exported(user: CurrentUser | null, measureId: string, format: string, ip?: string) {
    const page = await this.pages.page(user, measureId, { withPoints: true })
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
    const points = this.pages.viewerPoints(page.measure, page.points, page.access.seeSmallNumbers)
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
    return { filename: fileName(page.measure.name, 'measure', 'csv'), body: csvFile(header, rows) }
  }

  /** The chart as a picture (SVG or PNG), as drawn on the page for this viewer. */
  async picture(
    user: CurrentUser | null,
    measureId: string,
    format: PictureFormat,
    ip?: string,
  ): Promise<{ filename: string; body: string | Buffer }> {
    const page = await this.exported(user, measureId, format, ip)
    if (!page.chart.svg) throw new NotFoundError('This measure has no data to chart yet.')
    return pictureFile(page.chart.svg, page.measure.name, format, 'measure')
  }
}
