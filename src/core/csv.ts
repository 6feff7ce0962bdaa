import { stringify, type Options } from 'csv-stringify/sync'

/**
 * CSV for Excel, Sheets and Power BI, one policy for every download (RFC 4180): UTF-8 with
 * a byte order mark (so Excel reads names with accents correctly), CRLF after every row, a
 * cell quoted when it holds a quote, a comma, a line break or leading or trailing spaces.
 * A text cell starting with = + - @, a tab or a carriage return (or their full-width forms)
 * would run as a formula (CSV injection, OWASP): it gets a leading apostrophe so it is shown
 * as text. Numbers stay numbers, negative ones too; a number that is not finite is empty.
 */
export type CsvCell = string | number | boolean | null | undefined

const OPTIONS: Options = {
  record_delimiter: 'windows',
  escape_formulas: true,
  // Line breaks always quote (the writer alone misses a lone LF inside CRLF rows). Leading or
  // trailing white space would be lost by spreadsheets; a leading tab or carriage return gets
  // the apostrophe first, so only the others quote.
  quoted_match: [/[\r\n]/, /^(?![\t\r])\s/, /\s$/],
  cast: {
    number: (value) => (Number.isFinite(value) ? String(value) : ''),
    boolean: (value) => (value ? 'true' : 'false'),
  },
}

/** One cell as it is written in a file. */
export function csvCell(value: CsvCell): string {
  return stringify([[value]], { ...OPTIONS, record_delimiter: '' })
}

/**
 * A whole file: the heading row, then the rows.
 * @example csvFile(['Name'], [['=1+1']]) // '\uFEFFName\r\n\'=1+1\r\n'
 */
export function csvFile(header: CsvCell[], rows: CsvCell[][]): string {
  return '\uFEFF' + stringify([header, ...rows], OPTIONS)
}
