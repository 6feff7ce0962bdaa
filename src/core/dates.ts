import { z } from 'zod'

/**
 * Dates typed into the NHS.UK date input (day, month, year boxes) and times typed as
 * 09:30, turned into ISO text. Wall-clock times are Europe/London; the database keeps
 * UTC instants. The one London clock: events, learning, facilitation and improvement.
 */

export interface DateParts {
  day: string
  month: string
  year: string
}

/** Gathers `<prefix>Day`, `<prefix>Month`, `<prefix>Year` form fields into one value for `dateField`. */
export function dateParts(body: Record<string, unknown>, prefix: string): DateParts {
  const get = (k: string) => (typeof body[k] === 'string' ? body[k].trim() : '')
  return { day: get(`${prefix}Day`), month: get(`${prefix}Month`), year: get(`${prefix}Year`) }
}

/** Splits 'YYYY-MM-DD' back into the boxes, for editing. */
export function partsOf(iso: string | null | undefined, prefix: string): Record<string, string> {
  const [y = '', m = '', d = ''] = (iso ?? '').slice(0, 10).split('-')
  return {
    [`${prefix}Day`]: d ? String(Number(d)) : '',
    [`${prefix}Month`]: m ? String(Number(m)) : '',
    [`${prefix}Year`]: y,
  }
}

/** A real calendar date as 'YYYY-MM-DD', with the NHS.UK date input's error messages. */
export function dateField(label: string) {
  const Label = label.charAt(0).toUpperCase() + label.slice(1)
  return z
    .object({ day: z.string(), month: z.string(), year: z.string() }, { error: `Enter the ${label}` })
    .transform((p, ctx) => {
      const missing = (['day', 'month', 'year'] as const).filter((k) => !p[k])
      if (missing.length === 3) {
        ctx.addIssue({ code: 'custom', message: `Enter the ${label}` })
        return z.NEVER
      }
      if (missing.length > 0) {
        ctx.addIssue({ code: 'custom', message: `${Label} must include a ${missing.join(' and ')}` })
        return z.NEVER
      }
      const [d, m, y] = [p.day, p.month, p.year].map((s) => (/^\d+$/.test(s) ? Number(s) : NaN)) as [
        number,
        number,
        number,
      ]
      const date = new Date(Date.UTC(y, m - 1, d))
      const real =
        p.year.length === 4 &&
        date.getUTCFullYear() === y &&
        date.getUTCMonth() === m - 1 &&
        date.getUTCDate() === d
      if (!real) {
        ctx.addIssue({ code: 'custom', message: `${Label} must be a real date` })
        return z.NEVER
      }
      return date.toISOString().slice(0, 10)
    })
}

/** A time of day such as 09:30 or 9.30, as 'HH:MM'. */
export function timeField(label: string) {
  const Label = label.charAt(0).toUpperCase() + label.slice(1)
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: `Enter the ${label}` })
      .min(1, { error: `Enter the ${label}` })
      .transform((s, ctx) => {
        const m = /^(\d{1,2})[:.](\d{2})$/.exec(s)
        const h = m ? Number(m[1]) : NaN
        const min = m ? Number(m[2]) : NaN
        if (!m || h > 23 || min > 59) {
          ctx.addIssue({ code: 'custom', message: `${Label} must be a real time, like 09:30 or 14:00` })
          return z.NEVER
        }
        return `${String(h).padStart(2, '0')}:${m[2]}`
      }),
  )
}

/** Made once: building an Intl.DateTimeFormat costs about 1 ms, far more than using one. */
const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

function londonOffsetMinutes(utcMs: number): number {
  const parts = londonClock.formatToParts(new Date(utcMs))
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'))
  return Math.round((asUtc - Math.floor(utcMs / 60_000) * 60_000) / 60_000)
}

/**
 * A Europe/London wall-clock date and time as an ISO instant.
 * @example londonToIso('2026-07-01', '09:30') // '2026-07-01T08:30:00.000Z' (BST)
 */
export function londonToIso(date: string, time: string): string {
  const naive = Date.parse(`${date}T${time}:00Z`)
  let utc = naive - londonOffsetMinutes(naive) * 60_000
  utc = naive - londonOffsetMinutes(utc) * 60_000
  return new Date(utc).toISOString()
}

/** The Europe/London calendar date and time of an instant: ['YYYY-MM-DD', 'HH:MM']. */
export function londonParts(iso: string): [string, string] {
  const ms = Date.parse(iso)
  const local = new Date(ms + londonOffsetMinutes(ms) * 60_000).toISOString()
  return [local.slice(0, 10), local.slice(11, 16)]
}

/**
 * The instant of a London date and time typed in a form, or null unless the date is a real
 * one written YYYY-MM-DD (years 2000 to 2100) and the time is HH:MM.
 * @example londonInstant('2027-02-30', '09:30') // null
 */
export function londonInstant(date: string, time: string): string | null {
  return isIsoDate(date) && isTime(time) ? londonToIso(date, time) : null
}

/** True for a real calendar date written YYYY-MM-DD, in the years 2000 to 2100. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  return (
    t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && y >= 2000 && y <= 2100
  )
}

/** True for a time of day written HH:MM (24-hour). */
export function isTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value)
}

/** Today's date in Europe/London as 'YYYY-MM-DD'. */
export function londonToday(now: Date): string {
  return londonParts(now.toISOString())[0]
}

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'Europe/London',
})
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

/** "Wed 10 Mar 2027, 09:30 to 12:30" (London time). */
export function sessionWhen(startsAt: string, endsAt: string): string {
  const s = new Date(startsAt)
  const e = new Date(endsAt)
  const sameDay = dayFormat.format(s) === dayFormat.format(e)
  return `${dayFormat.format(s)}, ${timeFormat.format(s)} to ${sameDay ? '' : `${dayFormat.format(e)}, `}${timeFormat.format(e)}`
}

/** The calendar day `days` after (or before) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/**
 * The London week (Monday to Sunday) of `now`: its Monday, when it starts and ends (instants),
 * for weekly digests.
 * @example londonWeek(new Date('2026-12-03T10:00:00Z')).monday // '2026-11-30'
 */
export function londonWeek(now: Date): { monday: string; from: string; to: string } {
  const day = londonToday(now)
  const weekday = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7 // Monday 0
  const monday = addDays(day, -weekday)
  return { monday, from: londonToIso(monday, '00:00'), to: londonToIso(addDays(monday, 7), '00:00') }
}
