import { startPdf } from '../charts/pdf.js'
import { COMMUNITY_NAME } from '../web/site.js'
import { formatCode } from './certificate-code.js'

// The certificate is in DejaVu Sans (charts/pdf.ts `startPdf`), embedded and subset by pdfkit: it
// draws Latin with every diacritic (Latin Extended A/B and Additional, so Welsh ŵ ŷ and Vietnamese
// ễ), Greek and Cyrillic. The standard Helvetica is WinAnsi only and is not embedded.

/** What the certificate prints in place of a character the font cannot draw (it has a glyph for this one). */
export const REPLACEMENT = '\uFFFD'

/**
 * The text as the font can print it: NFC-composed, each character the font lacks (a script
 * such as Chinese or Devanagari) replaced by U+FFFD, so a certificate never shows a wrong letter.
 */
export function printable(
  text: string,
  hasGlyph: (codePoint: number) => boolean,
): {
  text: string
  complete: boolean
} {
  let complete = true
  const out = Array.from(text.normalize('NFC'), (ch) => {
    const cp = ch.codePointAt(0)!
    if (cp < 0x20 || hasGlyph(cp)) return cp < 0x20 ? ' ' : ch
    complete = false
    return REPLACEMENT
  }).join('')
  return { text: out, complete }
}

export interface CertificateContent {
  personName: string
  courseTitle: string
  facultyName: string
  levelText: string
  issuedAt: string
  expiresAt: string | null
  code: string
  verifyUrl: string
}

const day = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})

/** An A4 landscape certificate (tagged PDF, English) carrying the code anyone can check on the verification page. */
export function certificatePdf(c: CertificateContent): Promise<Buffer> {
  const { doc, bytes } = startPdf({
    title: `Certificate: ${c.courseTitle}`,
    author: COMMUNITY_NAME,
    subject: `Certificate of completion for ${c.personName}`,
    layout: 'landscape',
    margin: 56,
  })
  // pdfkit keeps the current font's fontkit object on `_font.font`; a character counts only when both weights have it.
  type Loaded = { _font: { font: { hasGlyphForCodePoint(codePoint: number): boolean } } }
  const bold = (doc.font('Body-Bold') as unknown as Loaded)._font.font
  const regular = (doc.font('Body') as unknown as Loaded)._font.font
  const hasGlyph = (cp: number) => regular.hasGlyphForCodePoint(cp) && bold.hasGlyphForCodePoint(cp)
  const print = (t: string) => printable(t, hasGlyph).text
  const name = printable(c.personName, hasGlyph)

  const width = doc.page.width - 112
  doc
    .rect(28, 28, doc.page.width - 56, doc.page.height - 56)
    .lineWidth(3)
    .stroke('#005eb8')
  doc.moveDown(2)
  doc.font('Body').fontSize(14).fillColor('#4c6272').text(COMMUNITY_NAME, { align: 'center', width })
  doc.moveDown(1.5)
  doc
    .font('Body-Bold')
    .fontSize(32)
    .fillColor('#212b32')
    .text('Certificate of completion', { align: 'center', width })
  doc.moveDown(1.2)
  doc.font('Body').fontSize(16).text('This certifies that', { align: 'center', width })
  doc.moveDown(0.6)
  doc.font('Body-Bold').fontSize(26).text(name.text, { align: 'center', width })
  if (!name.complete)
    doc
      .font('Body')
      .fontSize(11)
      .fillColor('#4c6272')
      .text('Some characters of this name cannot be printed here: the verification page shows it in full.', {
        align: 'center',
        width,
      })
      .fillColor('#212b32')
  doc.moveDown(0.6)
  doc.font('Body').fontSize(16).text('has completed', { align: 'center', width })
  doc.moveDown(0.6)
  doc.font('Body-Bold').fontSize(22).text(print(c.courseTitle), { align: 'center', width })
  doc.moveDown(0.4)
  doc
    .font('Body')
    .fontSize(15)
    .text(print(`${c.facultyName}. Level: ${c.levelText}`), { align: 'center', width })
  doc.moveDown(0.4)
  const validity = c.expiresAt ? `. Valid until ${day.format(new Date(c.expiresAt))}` : ''
  doc.text(`Awarded on ${day.format(new Date(c.issuedAt))}${validity}`, { align: 'center', width })
  doc.moveDown(2)
  doc
    .font('Body-Bold')
    .fontSize(14)
    .text(`Verification code: ${formatCode(c.code)}`, { align: 'center', width })
  doc
    .font('Body')
    .fontSize(12)
    .fillColor('#4c6272')
    .text(`Check this certificate at ${c.verifyUrl}`, { align: 'center', width })
  doc.end()
  return bytes
}
