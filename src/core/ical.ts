/**
 * iCalendar (RFC 5545) files, one writer for events and learning sessions: CRLF line
 * endings, lines folded at 75 octets without splitting a character, TEXT values escaped
 * (backslash, semicolon, comma, line breaks), times in UTC, a UID and a DTSTAMP on every
 * event.
 */

export interface CalendarEvent {
  /** Stable across changes (RFC 5545 §3.8.4.7), so calendars replace their copy. */
  uid: string
  /** ISO instants. */
  start: string
  end: string
  summary: string
  description?: string
  location?: string
  url?: string
  /** Increases with every change, so calendars replace their copy. */
  sequence?: number
  /** Written as STATUS when given. */
  status?: 'confirmed' | 'cancelled'
}

/** RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks escaped in TEXT values. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
}

/** '2026-12-01T09:30:00.000Z' → '20261201T093000Z' (RFC 5545 §3.3.5, UTC form). */
export function icalTime(iso: string | Date): string {
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

/** A whole calendar; `name` becomes X-WR-CALNAME, the name calendar apps show for a subscription. */
export function calendarFile(
  events: CalendarEvent[],
  options: { now: Date; productId: string; name?: string },
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${options.productId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ]
  if (options.name) lines.push(`X-WR-CALNAME:${escapeText(options.name)}`)
  const stamp = icalTime(options.now)
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icalTime(e.start)}`,
      `DTEND:${icalTime(e.end)}`,
      `SEQUENCE:${e.sequence ?? 0}`,
      `SUMMARY:${escapeText(e.summary)}`,
    )
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`)
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`)
    if (e.url) lines.push(`URL:${e.url.replace(/[\r\n]/g, '')}`)
    if (e.status) lines.push(`STATUS:${e.status.toUpperCase()}`)
    lines.push('END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.map(foldLine).join('\r\n') + '\r\n'
}
