import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import PDFDocument from 'pdfkit'

/**
 * A tagged, English A4 PDF with DejaVu Sans embedded (registered as `Body` and `Body-Bold`), and
 * the promise of its bytes once `doc.end()` is called. The one way PDFs start: the paper forms
 * (paper/), the board pack (governance/) and the certificates (learning/).
 */
const fontDir = join(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'), '..', 'ttf')
let fonts: { regular: Buffer; bold: Buffer } | null = null
const loadFonts = () =>
  (fonts ??= {
    regular: readFileSync(join(fontDir, 'DejaVuSans.ttf')),
    bold: readFileSync(join(fontDir, 'DejaVuSans-Bold.ttf')),
  })

export interface PdfStart {
  title: string
  author: string
  subject?: string
  layout?: 'portrait' | 'landscape'
  margin?: number
}

export function startPdf(options: PdfStart): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.layout ?? 'portrait',
    margin: options.margin ?? 40,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: options.title,
      Author: options.author,
      ...(options.subject ? { Subject: options.subject } : {}),
    },
  })
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const f = loadFonts()
  doc.registerFont('Body', f.regular)
  doc.registerFont('Body-Bold', f.bold)
  doc.font('Body')
  return { doc, bytes }
}
