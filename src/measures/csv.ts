/**
 * CSV of a measure's data for Excel and Power BI (RFC 4180, CRLF, UTF-8 with a byte order mark).
 * Numbers are written as plain numbers (negative ones too). Any text cell that starts with =, +,
 * -, @, a tab or a carriage return would run as a formula in a spreadsheet (CSV injection): it
 * gets a leading apostrophe so it is shown as text.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  let text = value
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text
}

/** A whole file: heading row and rows. */
export function csvFile(header: string[], rows: (string | number | boolean | null)[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
