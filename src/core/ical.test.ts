import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { calendarFile, escapeText, foldLine, icalTime } from './ical.js'

const event = {
  uid: 'abc-123@qi.example.invalid',
  summary: 'Design workshop; virtual wards, part 1',
  description: 'Bring ideas\nand a colleague \\ partner',
  location: 'Room 1, Sanger House',
  url: 'http://localhost:3000/events/abc-123',
  start: '2026-12-01T09:30:00.000Z',
  end: '2026-12-01T12:00:00.000Z',
  sequence: 2,
  status: 'confirmed' as const,
}

describe('iCalendar files', () => {
  test('escapes backslashes, semicolons, commas and newlines in text', () => {
    assert.equal(escapeText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne')
  })

  test('writes UTC times in the basic format', () => {
    assert.equal(icalTime('2026-12-01T09:30:00.000Z'), '20261201T093000Z')
  })

  test('every line ends in CRLF and none is longer than 75 octets', () => {
    const file = calendarFile([{ ...event, description: 'é'.repeat(200) }], {
      now: new Date('2026-11-01T00:00:00Z'),
      productId: '-//Test//EN',
    })
    assert.ok(file.endsWith('\r\n'))
    const lines = file.split('\r\n').slice(0, -1)
    assert.equal(file.replace(/\r\n/g, '').includes('\n'), false)
    for (const line of lines) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `too long: ${line}`)
    const unfolded = file.replace(/\r\n /g, '')
    assert.match(unfolded, new RegExp(`DESCRIPTION:${'é'.repeat(200)}\r\n`))
  })

  test('has the required properties: UID, DTSTAMP, DTSTART, DTEND, and escaped SUMMARY', () => {
    const file = calendarFile([event], { now: new Date('2026-11-01T08:00:00Z'), productId: '-//Test//EN' })
    const lines = file.replace(/\r\n /g, '').split('\r\n')
    assert.equal(lines[0], 'BEGIN:VCALENDAR')
    assert.ok(lines.includes('VERSION:2.0'))
    assert.ok(lines.includes('UID:abc-123@qi.example.invalid'))
    assert.ok(lines.includes('DTSTAMP:20261101T080000Z'))
    assert.ok(lines.includes('DTSTART:20261201T093000Z'))
    assert.ok(lines.includes('DTEND:20261201T120000Z'))
    assert.ok(lines.includes('SUMMARY:Design workshop\\; virtual wards\\, part 1'))
    assert.ok(lines.includes('DESCRIPTION:Bring ideas\\nand a colleague \\\\ partner'))
    assert.ok(lines.includes('SEQUENCE:2'))
    assert.ok(lines.includes('STATUS:CONFIRMED'))
    assert.equal(lines.at(-2), 'END:VCALENDAR')
  })

  test('folds without splitting a multi-byte character', () => {
    const folded = foldLine('X'.repeat(74) + '€€')
    const [first, second] = folded.split('\r\n ')
    assert.equal(Buffer.byteLength(first, 'utf8'), 74)
    assert.equal(second, '€€')
  })

  test('a cancelled event says so', () => {
    const file = calendarFile([{ ...event, status: 'cancelled' }], {
      now: new Date(),
      productId: '-//Test//EN',
    })
    assert.match(file, /STATUS:CANCELLED\r\n/)
  })

  test('a location with line breaks is escaped, a URL loses them, and the calendar can be named', () => {
    const file = calendarFile(
      [{ ...event, location: 'Room 2\nSanger House', url: 'https://example.org/x\r\nX-EVIL:1' }],
      {
        now: new Date('2027-01-10T10:00:00Z'),
        productId: '-//QI Community//Learning//EN',
        name: 'QSIR, cohort 1',
      },
    )
    const lines = file.split('\r\n')
    assert.ok(lines.includes('PRODID:-//QI Community//Learning//EN'))
    assert.ok(lines.includes('X-WR-CALNAME:QSIR\\, cohort 1'))
    assert.ok(lines.includes('LOCATION:Room 2\\nSanger House'))
    assert.ok(lines.includes('URL:https://example.org/xX-EVIL:1'))
  })

  test('an event without a status or sequence has no STATUS and SEQUENCE 0', () => {
    const { status: _status, sequence: _sequence, ...plain } = event
    const lines = calendarFile([plain], { now: new Date(), productId: '-//Test//EN' }).split('\r\n')
    assert.ok(lines.includes('SEQUENCE:0'))
    assert.equal(
      lines.some((l) => l.startsWith('STATUS:')),
      false,
    )
  })
})
