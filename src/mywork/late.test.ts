import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { lateBy } from './late.js'

describe('late data by the measure’s own frequency', () => {
  const cases: [frequency: string, latest: string, today: string, due: string | null][] = [
    ['Weekly', '2026-11-01', '2026-11-15', null],
    ['Weekly', '2026-11-01', '2026-11-16', '2026-11-15'],
    ['weekly, every Monday', '2026-10-01', '2026-12-02', '2026-10-15'],
    ['Monthly', '2026-10-01', '2026-12-01', null],
    ['Monthly', '2026-10-01', '2026-12-02', '2026-12-01'],
    ['Monthly', '2026-12-31', '2027-03-01', '2027-02-28'],
    ['Quarterly', '2026-04-01', '2026-10-01', null],
    ['Quarterly', '2026-04-01', '2026-10-02', '2026-10-01'],
    ['Daily', '2026-11-28', '2026-12-01', '2026-11-30'],
    ['Ad hoc', '2020-01-01', '2026-12-02', null],
    ['', '2020-01-01', '2026-12-02', null],
    ['Weekly', 'not a date', '2026-12-02', null],
  ]
  for (const [frequency, latest, today, due] of cases) {
    test(`${frequency || '(none)'}, latest ${latest}, today ${today}: ${due ?? 'not late'}`, () => {
      assert.equal(lateBy(frequency, latest, today), due)
    })
  }
})
