/** Calendar months as 'YYYY-MM' text, the unit of QI specialists' capacity. */

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7)
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const d = new Date(Date.UTC(y, m - 1 + n, 1))
  return d.toISOString().slice(0, 7)
}

/** `count` months from `first`, in order. */
export function monthRange(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(first, i))
}

/** 'December 2026' */
export function monthLabel(month: string): string {
  return monthName.format(new Date(`${month}-01T00:00:00Z`))
}

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value)
}
