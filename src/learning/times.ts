/** Dates and times entered in forms are Europe/London wall-clock times; the database keeps UTC instants. */

const ZONE = 'Europe/London'
const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function wallClock(ms: number): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]))
  return { y: p.year, m: p.month, d: p.day, h: p.hour, mi: p.minute, s: p.second }
}

function offsetMs(utcMs: number): number {
  const w = wallClock(utcMs)
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - Math.floor(utcMs / 1000) * 1000
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  return (
    t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && y >= 2000 && y <= 2100
  )
}

export function isTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value)
}

/** '2027-03-10' + '09:30' in London → '2027-03-10T09:30:00.000Z' (GMT) or '…T08:30…' (BST). Null when invalid. */
export function londonToIso(date: string, time: string): string | null {
  if (!isIsoDate(date) || !isTime(time)) return null
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi] = time.split(':').map(Number) as [number, number]
  const guess = Date.UTC(y, mo - 1, d, h, mi)
  let utc = guess - offsetMs(guess)
  const second = offsetMs(utc)
  if (guess - second !== utc) utc = guess - second
  return new Date(utc).toISOString()
}

/** The London date and time of an instant, as form values. */
export function isoToLondon(iso: string): { date: string; time: string } {
  const w = wallClock(new Date(iso).getTime())
  const pad = (n: number) => String(n).padStart(2, '0')
  return { date: `${w.y}-${pad(w.m)}-${pad(w.d)}`, time: `${pad(w.h)}:${pad(w.mi)}` }
}

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: ZONE,
})
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: ZONE })

/** "Wed 10 Mar 2027, 09:30 to 12:30" (London time). */
export function sessionWhen(startsAt: string, endsAt: string): string {
  const s = new Date(startsAt)
  const e = new Date(endsAt)
  const sameDay = dayFormat.format(s) === dayFormat.format(e)
  return `${dayFormat.format(s)}, ${timeFormat.format(s)} to ${sameDay ? '' : `${dayFormat.format(e)}, `}${timeFormat.format(e)}`
}
