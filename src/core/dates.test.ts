import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { dateField, londonParts, londonToIso, londonToday, timeField } from './dates.js'

describe('dates and times typed into forms', () => {
  test('a real date becomes ISO text', () => {
    assert.deepEqual(dateField('start date').safeParse({ day: '5', month: '3', year: '2027' }), {
      success: true,
      data: '2027-03-05',
    })
  })

  test('missing, partial and impossible dates are explained', () => {
    const message = (p: { day: string; month: string; year: string }) => {
      const r = dateField('start date').safeParse(p)
      return r.success ? null : r.error.issues[0].message
    }
    assert.equal(message({ day: '', month: '', year: '' }), 'Enter the start date')
    assert.equal(message({ day: '1', month: '', year: '2027' }), 'Start date must include a month')
    assert.equal(message({ day: '31', month: '2', year: '2027' }), 'Start date must be a real date')
    assert.equal(message({ day: '1', month: '2', year: '27' }), 'Start date must be a real date')
  })

  test('times accept 9:30, 09.30 and 14:00 and refuse 25:00', () => {
    assert.deepEqual(timeField('start time').safeParse('9:30'), { success: true, data: '09:30' })
    assert.deepEqual(timeField('start time').safeParse('09.30'), { success: true, data: '09:30' })
    assert.equal(timeField('start time').safeParse('25:00').success, false)
    assert.equal(timeField('start time').safeParse('').success, false)
  })

  test('London wall-clock times follow British Summer Time', () => {
    assert.equal(londonToIso('2026-07-01', '09:30'), '2026-07-01T08:30:00.000Z')
    assert.equal(londonToIso('2026-12-01', '09:30'), '2026-12-01T09:30:00.000Z')
    assert.deepEqual(londonParts('2026-07-01T08:30:00.000Z'), ['2026-07-01', '09:30'])
    assert.equal(londonToday(new Date('2026-06-30T23:30:00Z')), '2026-07-01')
  })
})
