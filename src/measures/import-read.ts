import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { zipProblem } from './zip-guard.js'

/**
 * Reading uploaded or pasted data into a table of text cells, with limits that keep a hostile
 * file from costing more than a moment: size, rows, columns and cell length. Nothing here is
 * stored or evaluated; formulas in a workbook give their saved values only.
 */
export const IMPORT_LIMITS = {
  /** Largest file accepted (bytes). */
  maxBytes: 5 * 1024 * 1024,
  /** Largest number of data rows (not counting a heading row). */
  maxRows: 10_000,
  maxColumns: 50,
  maxCellLength: 500,
  /** Largest size a workbook (a zip) may expand to when opened (bytes). */
  maxExpandedBytes: 50 * 1024 * 1024,
} as const

export class ImportFileError extends Error {
  constructor(
    message: string,
    /** 413 for a file over the size limit, else 400. */
    readonly status = 400,
  ) {
    super(message)
    this.name = 'ImportFileError'
  }
}

export interface ReadTable {
  cells: string[][]
  /** What the reader noticed, to show on the preview ("3 cells held formulas: …"). */
  notes: string[]
  source: 'csv' | 'xlsx' | 'paste'
}

const tooManyRows = () =>
  new ImportFileError(
    `The file has more than ${IMPORT_LIMITS.maxRows.toLocaleString('en-GB')} rows. Import at most ${IMPORT_LIMITS.maxRows.toLocaleString('en-GB')} rows at a time: split the file, or summarise the data (one row for each week or month).`,
  )

function checkShape(cells: string[][]): string[][] {
  if (cells.length > IMPORT_LIMITS.maxRows + 1) throw tooManyRows()
  let width = 0
  for (const row of cells) {
    width = Math.max(width, row.length)
    for (const cell of row)
      if (cell.length > IMPORT_LIMITS.maxCellLength)
        throw new ImportFileError(
          `A cell is longer than ${IMPORT_LIMITS.maxCellLength} characters. Data points are dates and numbers: check you chose the right file.`,
        )
  }
  if (width > IMPORT_LIMITS.maxColumns)
    throw new ImportFileError(
      `The file has more than ${IMPORT_LIMITS.maxColumns} columns. Keep only the date and the numbers of this measure.`,
    )
  const trimmed = cells.map((row) => row.map((c) => c.trim())).filter((row) => row.some((c) => c !== ''))
  if (trimmed.length === 0) throw new ImportFileError('The file is empty: it has no rows of data.')
  return trimmed
}

/** Decodes UTF-8 text, refusing anything else with a message that says how to fix it. */
export function decodeText(bytes: Buffer): string {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  )
    throw new ImportFileError(
      'The file is saved as UTF-16 ("Unicode text"), not UTF-8. In Excel, choose Save as, then "CSV UTF-8 (Comma delimited) (.csv)", and upload that file.',
    )
  if (bytes.subarray(0, 8192).includes(0))
    throw new ImportFileError(
      'The file is not a CSV or Excel file (it holds binary data). Upload a .csv or .xlsx file.',
    )
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new ImportFileError(
      'The file is not UTF-8 text (it may be saved as Windows-1252 or "ANSI"). In Excel, choose Save as, then "CSV UTF-8 (Comma delimited) (.csv)", and upload that file.',
    )
  }
}

function delimiterOf(firstLine: string): string {
  const counts = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 }))
  counts.sort((a, b) => b.n - a.n)
  return counts[0].n > 0 ? counts[0].d : ','
}

/** Parses CSV (or tab-separated) text into rows of cells. */
export function readDelimited(text: string, source: 'csv' | 'paste'): ReadTable {
  // Count lines before parsing, so a million-row file is refused without building a million rows.
  let lines = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lines++
    if (lines > IMPORT_LIMITS.maxRows + 50) break
  }
  const nonEmpty = text.length > 0 && lines > IMPORT_LIMITS.maxRows + 1
  if (nonEmpty) {
    // A quoted cell may span lines: only refuse when the lines really are rows.
    const rows = text.split('\n', IMPORT_LIMITS.maxRows + 3).filter((l) => l.trim() !== '').length
    if (rows > IMPORT_LIMITS.maxRows + 1) throw tooManyRows()
  }
  const body = text.replace(/^\uFEFF/, '')
  const firstLine = body.slice(0, body.search(/\r?\n|$/))
  const delimiter = source === 'paste' && firstLine.includes('\t') ? '\t' : delimiterOf(firstLine)
  let cells: string[][]
  try {
    const rows: unknown = parse(body, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      to: IMPORT_LIMITS.maxRows + 2,
    })
    cells = rows as string[][]
  } catch (error) {
    throw new ImportFileError(
      `The file could not be read as CSV (${error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 120) : 'unknown problem'}). Check it is a comma-separated file.`,
    )
  }
  return { cells: checkShape(cells), notes: [], source }
}

function cellText(value: unknown, notes: { formulas: number; missingResult: number }): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (typeof value === 'string') return value
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>
    if ('formula' in v || 'sharedFormula' in v) {
      notes.formulas++
      // Never evaluate: take the value Excel saved with the file, if there is one.
      if (v.result === undefined || v.result === null) {
        notes.missingResult++
        const formula =
          typeof v.formula === 'string'
            ? v.formula
            : typeof v.sharedFormula === 'string'
              ? v.sharedFormula
              : ''
        return `=${formula}`
      }
      return cellText(v.result, notes)
    }
    if ('error' in v) return String(v.error)
    if (Array.isArray(v.richText))
      return (v.richText as { text?: string }[]).map((t) => t.text ?? '').join('')
    if ('text' in v) return cellText(v.text, notes)
  }
  return ''
}

/** Reads the first worksheet of an .xlsx workbook, streaming, and stops past the row limit. */
export async function readXlsx(bytes: Buffer): Promise<ReadTable> {
  const notes = { formulas: 0, missingResult: 0 }
  const cells: string[][] = []
  const problem = zipProblem(bytes, IMPORT_LIMITS.maxExpandedBytes)
  if (problem === 'too-large')
    throw new ImportFileError(
      `The workbook expands to more than ${IMPORT_LIMITS.maxExpandedBytes / 1024 / 1024} MB when opened, far more than a measure's data needs. Keep only the date and the numbers of this measure, or save it as CSV UTF-8 and upload that.`,
    )
  if (problem === 'encrypted')
    throw new ImportFileError(
      'The workbook is protected with a password. Remove the password in Excel, or save it as CSV UTF-8, then upload it.',
    )
  if (problem)
    throw new ImportFileError(
      'The file could not be read as an Excel workbook (.xlsx). Check the file, or save it as CSV UTF-8 and upload that.',
    )
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      worksheets: 'emit',
      entries: 'emit',
    })
    sheets: for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as unknown[]).slice(1)
        if (values.length > IMPORT_LIMITS.maxColumns) values.length = IMPORT_LIMITS.maxColumns + 1
        const padTo = row.number - 1
        while (cells.length < padTo && cells.length <= IMPORT_LIMITS.maxRows + 1) cells.push([])
        cells.push(Array.from(values, (v) => cellText(v, notes)))
        if (cells.length > IMPORT_LIMITS.maxRows + 1) break sheets
      }
      break
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error
    throw new ImportFileError(
      'The file could not be read as an Excel workbook (.xlsx). Check the file, or save it as CSV UTF-8 and upload that.',
    )
  }
  if (cells.filter((r) => r.some((c) => c.trim() !== '')).length > IMPORT_LIMITS.maxRows + 1)
    throw tooManyRows()
  const found: string[] = []
  if (notes.formulas)
    found.push(
      `${notes.formulas} ${notes.formulas === 1 ? 'cell holds a formula' : 'cells hold formulas'}: formulas are never worked out here; the values saved in the file were used.`,
    )
  return { cells: checkShape(cells), notes: found, source: 'xlsx' }
}

/**
 * Reads an upload by its content (not only its name): an .xlsx workbook (a zip), an old .xls
 * (refused with advice), or CSV text in UTF-8.
 */
export async function readUpload(filename: string, bytes: Buffer): Promise<ReadTable> {
  if (bytes.length === 0) throw new ImportFileError('The selected file is empty.')
  if (bytes.length > IMPORT_LIMITS.maxBytes) throw fileTooLarge()
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0
  if (ole)
    throw new ImportFileError(
      'This is an old Excel file (.xls). In Excel, save it as an Excel Workbook (.xlsx) or CSV UTF-8, then upload it.',
    )
  if (zip) return readXlsx(bytes)
  if (/\.(xlsx|xlsm|xls|ods|numbers)$/i.test(filename))
    throw new ImportFileError(
      'The file could not be read as an Excel workbook (.xlsx). Check the file, or save it as CSV UTF-8 and upload that.',
    )
  return readDelimited(decodeText(bytes), 'csv')
}

export function fileTooLarge(): ImportFileError {
  return new ImportFileError(
    `The selected file must be smaller than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB. Keep only the date and the numbers of this measure, or summarise the data (one row for each week or month).`,
    413,
  )
}
