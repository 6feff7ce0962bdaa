import { startPdf } from '../charts/pdf.js'
import type { PaperField, PdsaPaper, SheetPaper } from './content.js'

/** The paper forms as A4 portrait PDFs (charts/pdf.ts: tagged, DejaVu Sans embedded). */

const TEXT = '#212b32'
const GREY = '#4c6272'
const RULE = '#aeb7bd'
const LINE = 20

type Doc = PDFKit.PDFDocument

function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage()
}

function ruledLines(doc: Doc, n: number, width: number) {
  const x = doc.page.margins.left
  for (let i = 0; i < n; i++) {
    ensureRoom(doc, LINE)
    const y = doc.y + LINE - 4
    doc
      .moveTo(x, y)
      .lineTo(x + width, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke()
    doc.y += LINE
  }
  doc.x = x
}

function drawField(doc: Doc, f: PaperField, width: number) {
  ensureRoom(doc, 14 + Math.max(1, f.lines) * LINE)
  doc.font('Body-Bold').fontSize(10).fillColor(TEXT).text(f.label, { width })
  if (f.choices) {
    const y = doc.y + 2
    let x = doc.page.margins.left
    for (const c of f.choices) {
      doc.rect(x, y, 10, 10).lineWidth(0.8).strokeColor(TEXT).stroke()
      if (c.chosen)
        doc
          .moveTo(x + 2, y + 5)
          .lineTo(x + 4.5, y + 8)
          .lineTo(x + 8.5, y + 2)
          .lineWidth(1.2)
          .stroke()
      doc
        .font('Body')
        .fontSize(10)
        .fillColor(TEXT)
        .text(c.chosen ? `${c.text} (ticked)` : c.text, x + 14, y, { lineBreak: false })
      x += 110
    }
    doc.x = doc.page.margins.left
    doc.y = y + 18
  } else if (f.value) {
    doc.font('Body').fontSize(10).fillColor(TEXT).text(f.value, { width })
    doc.moveDown(0.4)
  } else ruledLines(doc, f.lines, width)
}

export function pdsaPdf(p: PdsaPaper): Promise<Buffer> {
  const { doc, bytes } = startPdf({ title: p.title, author: p.community })
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right
  doc.font('Body').fontSize(9).fillColor(GREY).text(p.community, { width })
  doc.font('Body-Bold').fontSize(18).fillColor(TEXT).text(p.title, { width })
  doc.moveDown(0.3)
  for (const a of p.about) drawField(doc, { label: a.label, value: a.value, lines: 1 }, width)
  for (const s of p.sections) {
    ensureRoom(doc, 60)
    doc.moveDown(0.3)
    doc.font('Body-Bold').fontSize(14).fillColor('#005eb8').text(s.heading, { width })
    doc.font('Body').fontSize(9).fillColor(GREY).text(s.hint, { width })
    doc.moveDown(0.2)
    for (const f of s.fields) drawField(doc, f, width)
  }
  doc.moveDown(0.5)
  doc.font('Body').fontSize(8).fillColor(GREY).text(p.footer, { width })
  doc.end()
  return bytes
}

export function sheetPdf(p: SheetPaper): Promise<Buffer> {
  const { doc, bytes } = startPdf({ title: p.title, author: p.community, margin: 32 })
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  doc.font('Body').fontSize(9).fillColor(GREY).text(`${p.community}. ${p.projectTitle}`, { width })
  doc.font('Body-Bold').fontSize(16).fillColor(TEXT).text(p.title, { width })
  doc.moveDown(0.3)
  doc.font('Body-Bold').fontSize(11).text('What to count (the operational definition)', { width })
  for (const d of p.definition) {
    doc.font('Body-Bold').fontSize(8.5).fillColor(TEXT).text(`${d.label}: `, { width, continued: true })
    doc.font('Body').text(d.value)
  }
  doc.moveDown(0.5)

  // The table: the period column narrower, tally columns wider, initials narrowest.
  const weights = p.columns.map((c) =>
    c === 'Initials' ? 0.6 : c === 'Period' ? 1 : /tally/i.test(c) ? 2 : 1.2,
  )
  const total = weights.reduce((a, b) => a + b, 0)
  const cols = weights.map((w) => (w / total) * width)
  const rowH = p.rows.length > 16 ? 22 : 28
  const header = () => {
    const y = doc.y
    let x = left
    doc.font('Body-Bold').fontSize(8.5).fillColor(TEXT)
    const h = Math.max(...p.columns.map((c, i) => doc.heightOfString(c, { width: cols[i] - 6 }))) + 6
    p.columns.forEach((c, i) => {
      doc.rect(x, y, cols[i], h).lineWidth(0.6).strokeColor(TEXT).stroke()
      doc.text(c, x + 3, y + 3, { width: cols[i] - 6 })
      x += cols[i]
    })
    doc.x = left
    doc.y = y + h
  }
  header()
  for (const period of p.rows) {
    if (doc.y + rowH > doc.page.height - doc.page.margins.bottom - 50) {
      doc.addPage()
      header()
    }
    const y = doc.y
    let x = left
    cols.forEach((w, i) => {
      doc.rect(x, y, w, rowH).lineWidth(0.6).strokeColor(TEXT).stroke()
      if (i === 0 && period)
        doc
          .font('Body')
          .fontSize(9)
          .fillColor(TEXT)
          .text(period, x + 3, y + 8, { width: w - 6 })
      x += w
    })
    doc.x = left
    doc.y = y + rowH
  }
  doc.moveDown(0.6)
  doc.font('Body').fontSize(8).fillColor(GREY)
  for (const line of p.footer) doc.text(line, left, doc.y, { width })
  doc.end()
  return bytes
}
