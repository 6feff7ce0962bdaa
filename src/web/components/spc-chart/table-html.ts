import { escapeXml } from '../../../core/escape.js'

/** A cell of the data table: text (escaped here), optionally numeric or a link. */
export interface SpcTableCell {
  text: string
  numeric?: boolean
  href?: string
}

export interface SpcTable {
  caption: string
  head: { text: string; numeric?: boolean }[]
  /** The first cell of each row is its heading (the period). */
  rows: SpcTableCell[][]
}

const escape = escapeXml

/**
 * The data table of the spc-chart component as HTML, with the markup of the NHS.UK table
 * component (`nhsuk-table` classes, a caption, column and row headings). Built here rather than
 * in Nunjucks because a measure can have thousands of points: the NHS.UK macro takes about a
 * second for 1,000 rows and a template loop tens of milliseconds; this takes about one. Every
 * text and link is escaped.
 * @example spcTableHtml({ caption: 'Data', head: [{ text: 'Period' }], rows: [[{ text: 'Apr 2024' }]] })
 */
export function spcTableHtml(table: SpcTable): string {
  const out: string[] = [
    '<div class="app-spc-chart__table-wrapper"><table class="nhsuk-table app-spc-chart__table">',
    `<caption class="nhsuk-table__caption">${escape(table.caption)}</caption>`,
    '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">',
  ]
  for (const h of table.head)
    out.push(
      `<th scope="col" class="nhsuk-table__header${h.numeric ? ' nhsuk-table__header--numeric' : ''}">${escape(h.text)}</th>`,
    )
  out.push('</tr></thead><tbody class="nhsuk-table__body">')
  for (const row of table.rows) {
    let line = '<tr class="nhsuk-table__row">'
    row.forEach((cell, i) => {
      const text = cell.href ? `<a href="${escape(cell.href)}">${escape(cell.text)}</a>` : escape(cell.text)
      line +=
        i === 0
          ? `<th scope="row" class="nhsuk-table__header">${text}</th>`
          : `<td class="nhsuk-table__cell${cell.numeric ? ' nhsuk-table__cell--numeric' : ''}">${text}</td>`
    })
    out.push(`${line}</tr>`)
  }
  out.push('</tbody></table></div>')
  // One line: the NHS.UK details macro indents its content line by line.
  return out.join('')
}
