import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { buildCalendar, escapeText, foldLine, icsDate } from './ics.js'

describe('iCalendar files', () => {
  const now = new Date('2027-01-10T10:00:00Z')
  const event = {
    uid: 's1@example.org',
    start: '2027-03-10T09:30:00.000Z',
    end: '2027-03-10T12:30:00.000Z',
    summary: 'Day 1; measures, charts',
    location: 'Room 2\nSanger House',
    description: 'Bring C:\\notes',
    url: 'https://example.org/learning/courses/x',
  }

  test('every line ends with CRLF and the calendar has the required properties', () => {
    const ics = buildCalendar([event], { now })
    assert.ok(ics.endsWith('\r\n'))
    assert.equal(ics.split('\r\n').filter((l) => l.includes('\n')).length, 0, 'no bare line feeds')
    for (const line of [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//QI Community//Learning//EN',
      'BEGIN:VEVENT',
      'UID:s1@example.org',
      'DTSTAMP:20270110T100000Z',
      'DTSTART:20270310T093000Z',
      'DTEND:20270310T123000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ]) {
      assert.ok(ics.split('\r\n').includes(line), line)
    }
  })

  test('text is escaped: backslash, semicolon, comma and new lines', () => {
    assert.equal(escapeText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne')
    const ics = buildCalendar([event], { now })
    assert.match(ics, /SUMMARY:Day 1\\; measures\\, charts\r\n/)
    assert.match(ics, /LOCATION:Room 2\\nSanger House\r\n/)
    assert.match(ics, /DESCRIPTION:Bring C:\\\\notes\r\n/)
  })

  test('long lines fold at 75 octets without splitting a character', () => {
    const line = `SUMMARY:${'é'.repeat(60)}`
    const folded = foldLine(line)
    for (const part of folded.split('\r\n')) assert.ok(Buffer.byteLength(part) <= 75, part)
    assert.equal(
      folded
        .split('\r\n')
        .map((p, i) => (i === 0 ? p : p.slice(1)))
        .join(''),
      line,
    )
  })

  test('dates are written in UTC', () => {
    assert.equal(icsDate('2027-07-01T08:30:00.000Z'), '20270701T083000Z')
  })
})
