import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { type CurrentUser, actorLabel } from '../core/identity.js'
import { writeAudit } from '../audit/service.js'
import { NotFoundError } from '../core/errors.js'
import { renderPng } from '../charts/png.js'
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
