/**
 * iCalendar (RFC 5545) files for events: CRLF line endings, lines folded at 75 octets,
 * TEXT values escaped (backslash, semicolon, comma, newline), UTC times.
 */

export interface CalendarEvent {
  uid: string
  title: string
  description: string
  location: string
  url: string
  startsAt: string
  endsAt: string
  /** Increases with every change, so calendars replace their copy. */
  sequence: number
  cancelled: boolean
}

/** RFC 5545 §3.3.11: backslash, semicolon, comma and newlines escaped in TEXT values. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

/** '2026-12-01T09:30:00.000Z' → '20261201T093000Z' (RFC 5545 §3.3.5, UTC form). */
export function icalTime(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF and a space, never splitting a character. */
export function foldLine(line: string): string {
  const out: string[] = []
  let current = ''
  let octets = 0
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8')
    const limit = out.length === 0 ? 75 : 74
    if (octets + size > limit) {
      out.push(current)
      current = ''
      octets = 0
    }
    current += ch
    octets += size
  }
  out.push(current)
  return out.join('\r\n ')
}

export function calendarFile(events: CalendarEvent[], options: { now: Date; productId: string }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${options.productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ]
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${icalTime(options.now.toISOString())}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTART:${icalTime(e.startsAt)}`,
      `DTEND:${icalTime(e.endsAt)}`,
      `SUMMARY:${escapeText(e.title)}`,
    )
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`)
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`)
    lines.push(`URL:${e.url}`, `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join('\r\n') + '\r\n'
}
