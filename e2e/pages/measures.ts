// Page objects for a project's measures: adding one with its operational definition, and
// importing its data from a CSV or Excel file through the preview.
import assert from 'node:assert/strict'
import type { Member } from './member.js'

export interface NewMeasure {
  type: 'outcome' | 'process' | 'balancing'
  name: string
  dataKind: 'continuous' | 'proportion' | 'rate' | 'count'
  numerator: string
  direction: 'increase' | 'decrease' | 'neutral'
  /** A chart other than the one suggested for the data kind. */
  chartType?: string
}

export class MeasurePages {
  constructor(readonly member: Member) {}

  /** Adds a measure to the project and returns the measure page's address. */
  async add(projectPath: string, measure: NewMeasure): Promise<string> {
    const m = this.member
    await m.open(`${projectPath}/measures`)
    await m.follow(/Add a measure/)
    await m.page.check(`input[name=type][value=${measure.type}]`)
    await m.fill('[name=name]', measure.name)
    await m.page.check(`input[name=dataKind][value=${measure.dataKind}]`)
    await m.fill('[name=numerator]', measure.numerator)
    await m.page.check(`input[name=direction][value=${measure.direction}]`)
    if (measure.chartType) await m.page.check(`input[name=chartType][value=${measure.chartType}]`)
    await m.press('Save measure')
    assert.match(m.path, /^\/measures\/[^/]+$/)
    return m.path
  }

  /** Uploads a file on the measure page, checks the preview and imports `count` points. */
  async importFile(measurePath: string, file: string, count: number): Promise<void> {
    const m = this.member
    await m.follow('Upload a CSV or Excel file')
    await m.page.setInputFiles('input[type=file][name=file]', file)
    await m.press('Upload and check')
    await m.press(new RegExp(`^Import ${count} data points`))
    assert.equal(m.path, measurePath)
  }

  /** How many special-cause variation icons the chart shows. */
  specialCauseIcons(): Promise<number> {
    return this.member.page.locator('[aria-label*="Special cause"], [aria-label*="special cause"]').count()
  }
}
