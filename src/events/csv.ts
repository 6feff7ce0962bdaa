/**
 * CSV for spreadsheets (RFC 4180, CRLF). A cell that starts with =, +, -, @, a tab or a carriage
 * return would run as a formula in Excel or Sheets (CSV injection, OWASP): it gets a leading
 * apostrophe so it is shown as text.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',')
}

/** A whole file, with a byte order mark so Excel reads UTF-8 names correctly. */
export function csvFile(header: string[], rows: (string | number | null | undefined)[][]): string {
  return '\uFEFF' + [header, ...rows].map(csvLine).join('\r\n') + '\r\n'
}
