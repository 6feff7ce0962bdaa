import PptxGenJSModule from 'pptxgenjs'
import { renderPng } from '../charts/png.js'
import { startPdf } from '../charts/pdf.js'
import {
  asAtWords,
  dayWords,
  packNotes,
  pagesOf,
  rowIcons,
  TABLE_HEADER,
  tableCells,
  type PackChart,
  type PackContent,
} from './pack-content.js'

/**
 * The board pack as files: a PowerPoint deck (pptxgenjs) and a PDF (pdfkit with DejaVu Sans
 * embedded, as the certificates are), both drawn from one `PackContent`. Charts are the SVG the
 * measure page draws, rendered to PNG by charts/png.ts.
 */

// pptxgenjs's types declare an ES default export its CommonJS build does not have under NodeNext.
const PptxGenJS = ((PptxGenJSModule as unknown as { default?: unknown }).default ??
  PptxGenJSModule) as unknown as typeof PptxGenJSModule.default

const NHS_BLUE = '005EB8'
const TEXT = '212B32'
const GREY = '4C6272'

const png = (svg: string, scale = 1) => renderPng(svg, { scale })

/** Each icon drawn once to PNG (there are a dozen), then placed wherever it is needed. */
const iconPngs = new Map<string, Buffer>()
function iconPng(svg: string): Buffer {
  let bytes = iconPngs.get(svg)
  if (!bytes) iconPngs.set(svg, (bytes = png(svg, 2)))
  return bytes
}

/** Each chart drawn to PNG once, for both files (a chart is the pack's dearest part to draw). */
const chartPngs = new WeakMap<PackChart, Buffer>()
function chartPng(ch: PackChart, svg: string): Buffer {
  let bytes = chartPngs.get(ch)
  if (!bytes) chartPngs.set(ch, (bytes = png(svg, 2)))
  return bytes
}

/** The summary table on a slide, in inches: 12 rows of a fixed height under the header. */
const TABLE = {
  x: 0.4,
  y: 1.0,
  colW: [3.3, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0, 1.5, 1.5],
  headH: 0.35,
  rowH: 0.46,
  icon: 0.3,
  /** About two lines of text in each column (8 point; 7 in the icons' columns). */
  chars: [104, 38, 30, 30, 30, 30, 30, 36, 36],
}

/** The text cut to `n` characters, with an ellipsis when cut. */
const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text)
const dataUri = (bytes: Buffer) => `image/png;base64,${bytes.toString('base64')}`

function portfolioLines(c: PackContent): string[] {
  const p = c.portfolio
  return [
    `${p.total} ${p.total === 1 ? 'project' : 'projects'} (as the person who asked for this pack sees them): ${
      p.byStatus.map((s) => `${s.label} ${s.n}`).join(', ') || 'none'
    }.`,
    `${p.withPartners} of ${p.total} have an improvement partner on the team.`,
    p.stalled === null
      ? ''
      : `${p.stalled} ${p.stalled === 1 ? 'project is' : 'projects are'} stalled (no data point and no PDSA change for ${p.stalledDays} days).`,
  ].filter(Boolean)
}

function capabilityLines(c: PackContent): string[] {
  if (!c.capability) return ['Capability figures are not available yet.']
  if (c.capability.length === 0) return ['Nobody has completed a course yet.']
  return c.capability.map((l) => `${l.level}: ${l.trained} trained${l.target ? ` (${l.target})` : ''}.`)
}

function highlightLines(c: PackContent): { heading: string; lines: string[] }[] {
  const h = c.highlights
  return [
    {
      heading: 'Projects completed in the last 90 days',
      lines: h.completed.length
        ? h.completed.map((p) => `${p.title}${p.finishedAt ? ` (${dayWords(p.finishedAt)})` : ''}`)
        : ['None'],
    },
    {
      heading: 'Posters published in the last 90 days',
      lines: h.posters.length
        ? h.posters.map((p) => `${p.title}${p.approvedAt ? ` (${dayWords(p.approvedAt)})` : ''}`)
        : ['None'],
    },
    { heading: 'Programmes', lines: h.programmes.length ? h.programmes : ['None'] },
  ]
}

function chartLines(ch: PackChart): string[] {
  const r = ch.row
  return [
    `Latest point ${r.latestPeriod}: ${r.latestValue}. ${r.centreName} ${r.centre}; limits ${r.lcl} to ${r.ucl}; target ${r.target}.`,
    `Variation: ${r.variationLabel}. Assurance: ${r.assuranceLabel}.`,
    ch.description,
  ]
}

function annotationLines(ch: PackChart): string[] {
  if (ch.annotationsHidden) return ['Annotations are shown only for projects every member can open.']
  if (ch.annotations.length === 0) return ['No annotations.']
  return ch.annotations.map((a) => `${dayWords(a.date)}: ${a.text}`)
}

/** The deck, with progress reported after each chart slide (0 to 1). */
export async function packPptx(c: PackContent, progress: (done: number) => Promise<void>): Promise<Buffer> {
  const pptx = new PptxGenJS()
  pptx.layout = 'LAYOUT_WIDE'
  pptx.title = `Board pack: ${asAtWords(c.dataAsAt)}`
  pptx.company = c.community
  const asAt = asAtWords(c.dataAsAt)
  const footer = (slide: ReturnType<typeof pptx.addSlide>) =>
    slide.addText(`${c.community}. ${asAt}.`, { x: 0.4, y: 7.0, w: 12.5, h: 0.3, fontSize: 10, color: GREY })

  const title = pptx.addSlide()
  title.background = { color: NHS_BLUE }
  title.addText(c.community, { x: 0.6, y: 2.0, w: 12, h: 1, fontSize: 36, bold: true, color: 'FFFFFF' })
  title.addText('Board pack: improvement across the system', {
    x: 0.6,
    y: 3.1,
    w: 12,
    h: 0.8,
    fontSize: 24,
    color: 'FFFFFF',
  })
  title.addText(asAt, { x: 0.6, y: 4.1, w: 12, h: 0.6, fontSize: 18, color: 'FFFFFF' })
  const notes = packNotes(c)
  if (notes.length)
    title.addText(notes.join(' '), { x: 0.6, y: 5.0, w: 12, h: 1.2, fontSize: 14, color: 'FFFFFF' })

  const pages = pagesOf(c.rows)
  if (pages.length === 0) {
    const s = pptx.addSlide()
    s.addText('Making Data Count summary', { x: 0.4, y: 0.3, w: 12.5, h: 0.6, fontSize: 24, bold: true })
    s.addText('No measures were flagged for the Board when this pack was made.', {
      x: 0.4,
      y: 1.2,
      w: 12.5,
      h: 0.6,
      fontSize: 16,
    })
    footer(s)
  }
  pages.forEach((rows, i) => {
    const s = pptx.addSlide()
    s.addText(`Making Data Count summary${pages.length > 1 ? ` (${i + 1} of ${pages.length})` : ''}`, {
      x: 0.4,
      y: 0.3,
      w: 12.5,
      h: 0.6,
      fontSize: 24,
      bold: true,
      color: TEXT,
    })
    const head = TABLE_HEADER.map((text) => ({
      text,
      options: { bold: true, color: 'FFFFFF', fill: { color: NHS_BLUE } },
    }))
    // Rows of a fixed height (texts cut to fit two lines), so each row's icons sit in its cells.
    const withIcon = {
      fontSize: 7,
      margin: [0.05, 0.05, 0.05, TABLE.icon + 0.1] as [number, number, number, number],
    }
    const body = rows.map((r) =>
      tableCells(r).map((text, col) => ({
        text: clip(text, TABLE.chars[col]),
        options: col < 7 ? {} : (col === 7 ? r.variationIcon : r.assuranceIcon) ? withIcon : { fontSize: 7 },
      })),
    )
    s.addTable([head, ...body], {
      x: TABLE.x,
      y: TABLE.y,
      w: 12.5,
      colW: TABLE.colW,
      rowH: [TABLE.headH, ...rows.map(() => TABLE.rowH)],
      fontSize: 8,
      color: TEXT,
      valign: 'middle',
      border: { type: 'solid', pt: 0.5, color: 'D8DDE0' },
      autoPage: false,
    })
    rows.forEach((r, i) => {
      const icons = rowIcons(r, 48)
      const y = TABLE.y + TABLE.headH + i * TABLE.rowH + (TABLE.rowH - TABLE.icon) / 2
      for (const [col, svg, label] of [
        [7, icons.variation, r.variationLabel],
        [8, icons.assurance, r.assuranceLabel],
      ] as const)
        if (svg)
          s.addImage({
            data: dataUri(iconPng(svg)),
            x: TABLE.x + TABLE.colW.slice(0, col).reduce((a, b) => a + b, 0) + 0.05,
            y,
            w: TABLE.icon,
            h: TABLE.icon,
            altText: label,
          })
    })
    footer(s)
  })

  for (let i = 0; i < c.charts.length; i++) {
    const ch = c.charts[i]
    const s = pptx.addSlide()
    s.addText(ch.row.name, { x: 0.4, y: 0.25, w: 12.5, h: 0.6, fontSize: 24, bold: true, color: TEXT })
    s.addText(`${ch.row.projectTitle}. ${ch.row.frequency}. ${ch.row.ruleSet}`, {
      x: 0.4,
      y: 0.85,
      w: 12.5,
      h: 0.35,
      fontSize: 11,
      color: GREY,
    })
    if (ch.chartSvg)
      s.addImage({
        data: dataUri(chartPng(ch, ch.chartSvg)),
        x: 0.4,
        y: 1.3,
        w: 8.0,
        h: 4.2,
        altText: ch.description,
      })
    else s.addText('No chart: there is no data yet.', { x: 0.4, y: 1.3, w: 8, h: 0.5, fontSize: 14 })
    if (ch.variationIconSvg)
      s.addImage({
        data: dataUri(iconPng(ch.variationIconSvg)),
        x: 8.7,
        y: 1.3,
        w: 0.8,
        h: 0.8,
        altText: ch.row.variationLabel,
      })
    if (ch.assuranceIconSvg)
      s.addImage({
        data: dataUri(iconPng(ch.assuranceIconSvg)),
        x: 9.6,
        y: 1.3,
        w: 0.8,
        h: 0.8,
        altText: ch.row.assuranceLabel,
      })
    s.addText(chartLines(ch).join('\n'), {
      x: 8.7,
      y: 2.2,
      w: 4.2,
      h: 3.3,
      fontSize: 11,
      color: TEXT,
      valign: 'top',
    })
    s.addText(`Latest annotations\n${annotationLines(ch).join('\n')}`, {
      x: 0.4,
      y: 5.6,
      w: 12.5,
      h: 1.3,
      fontSize: 11,
      color: TEXT,
      valign: 'top',
    })
    footer(s)
    await progress((i + 1) / Math.max(1, c.charts.length))
  }
  if (c.charts.length === 0) await progress(1)

  const figures = pptx.addSlide()
  figures.addText('Capability and portfolio', { x: 0.4, y: 0.3, w: 12.5, h: 0.6, fontSize: 24, bold: true })
  figures.addText(`Capability\n${capabilityLines(c).join('\n')}`, {
    x: 0.4,
    y: 1.1,
    w: 6.1,
    h: 5.6,
    fontSize: 13,
    valign: 'top',
  })
  figures.addText(`Portfolio\n${portfolioLines(c).join('\n')}`, {
    x: 6.8,
    y: 1.1,
    w: 6.1,
    h: 5.6,
    fontSize: 13,
    valign: 'top',
  })
  footer(figures)

  const highlights = pptx.addSlide()
  highlights.addText('Highlights', { x: 0.4, y: 0.3, w: 12.5, h: 0.6, fontSize: 24, bold: true })
  highlights.addText(
    highlightLines(c)
      .map((h) => `${h.heading}\n${h.lines.slice(0, 8).join('\n')}`)
      .join('\n\n'),
    { x: 0.4, y: 1.1, w: 12.5, h: 5.7, fontSize: 12, valign: 'top' },
  )
  footer(highlights)

  const out = await pptx.write({ outputType: 'nodebuffer', compression: true })
  return Buffer.from(out as Uint8Array)
}

/** The same pack as an A4 landscape PDF (tagged, English), text a reader can copy. */
export function packPdf(c: PackContent): Promise<Buffer> {
  const { doc, bytes } = startPdf({
    title: `Board pack: ${asAtWords(c.dataAsAt)}`,
    author: c.community,
    layout: 'landscape',
  })
  const width = doc.page.width - 80
  const asAt = asAtWords(c.dataAsAt)
  const heading = (text: string, size = 20) =>
    doc.font('Body-Bold').fontSize(size).fillColor('#212b32').text(text, { width })
  const body = (text: string, size = 11) =>
    doc.font('Body').fontSize(size).fillColor('#212b32').text(text, { width })

  doc.font('Body-Bold').fontSize(28).fillColor('#005eb8').text(c.community, { width })
  doc.moveDown(0.5)
  heading('Board pack: improvement across the system', 20)
  body(`${asAt}.`, 14)
  for (const n of packNotes(c)) body(n, 12)

  const pages = pagesOf(c.rows)
  const cols = [210, 70, 60, 60, 55, 55, 55, 95, 95]
  const ICON = 14
  const drawRow = (cells: string[], bold: boolean, icons?: (string | null)[]) => {
    const y = doc.y
    let x = 40
    let tallest = 0
    doc.font(bold ? 'Body-Bold' : 'Body').fontSize(8)
    const offset = (i: number) => (icons?.[i] ? ICON + 3 : 0)
    cells.forEach((cell, i) => {
      tallest = Math.max(
        tallest,
        doc.heightOfString(cell, { width: cols[i] - 4 - offset(i) }),
        icons?.[i] ? ICON : 0,
      )
    })
    cells.forEach((cell, i) => {
      const icon = icons?.[i]
      if (icon) doc.image(iconPng(icon), x + 2, y, { width: ICON })
      doc.text(cell, x + 2 + offset(i), y, { width: cols[i] - 4 - offset(i) })
      x += cols[i]
    })
    doc.y = y + tallest + 4
    doc.x = 40
  }
  pages.forEach((rows, i) => {
    doc.addPage()
    heading(`Making Data Count summary${pages.length > 1 ? ` (${i + 1} of ${pages.length})` : ''}`, 16)
    body(`${asAt}.`, 9)
    doc.moveDown(0.3)
    drawRow(TABLE_HEADER, true)
    for (const r of rows) {
      const icons = rowIcons(r)
      drawRow(tableCells(r), false, [
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        icons.variation,
        icons.assurance,
      ])
    }
  })

  for (const ch of c.charts) {
    doc.addPage()
    heading(ch.row.name, 16)
    body(`${ch.row.projectTitle}. ${ch.row.frequency}. ${ch.row.ruleSet}`, 9)
    const top = doc.y + 4
    if (ch.chartSvg) doc.image(chartPng(ch, ch.chartSvg), 40, top, { width: 470 })
    else body('No chart: there is no data yet.')
    let iconX = 530
    for (const icon of [ch.variationIconSvg, ch.assuranceIconSvg])
      if (icon) {
        doc.image(iconPng(icon), iconX, top, { width: 40 })
        iconX += 50
      }
    doc
      .font('Body')
      .fontSize(9)
      .text(chartLines(ch).join('\n\n'), 530, top + 50, { width: 270 })
    doc
      .font('Body-Bold')
      .fontSize(10)
      .text('Latest annotations', 40, top + 260, { width })
    doc.font('Body').fontSize(9).text(annotationLines(ch).join('\n'), { width })
    doc.x = 40
  }

  doc.addPage()
  heading('Capability', 16)
  for (const line of capabilityLines(c)) body(line)
  doc.moveDown()
  heading('Portfolio', 16)
  for (const line of portfolioLines(c)) body(line)
  doc.moveDown()
  heading('Highlights', 16)
  for (const h of highlightLines(c)) {
    doc.font('Body-Bold').fontSize(11).text(h.heading, { width })
    for (const line of h.lines.slice(0, 8)) body(line, 10)
  }
  body(`${asAt}.`, 9)
  doc.end()
  return bytes
}
