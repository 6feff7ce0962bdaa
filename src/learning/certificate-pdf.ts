import PDFDocument from 'pdfkit'
import { COMMUNITY_NAME } from '../web/site.js'
import { formatCode } from './certificate-code.js'

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
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 56,
      pdfVersion: '1.7',
      tagged: true,
      lang: 'en-GB',
      displayTitle: true,
      info: {
        Title: `Certificate: ${c.courseTitle}`,
        Author: COMMUNITY_NAME,
        Subject: `Certificate of completion for ${c.personName}`,
      },
    })
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)

    const width = doc.page.width - 112
    doc
      .rect(28, 28, doc.page.width - 56, doc.page.height - 56)
      .lineWidth(3)
      .stroke('#005eb8')
    doc.moveDown(2)
    doc.font('Helvetica').fontSize(14).fillColor('#4c6272').text(COMMUNITY_NAME, { align: 'center', width })
    doc.moveDown(1.5)
    doc
      .font('Helvetica-Bold')
      .fontSize(32)
      .fillColor('#212b32')
      .text('Certificate of completion', { align: 'center', width })
    doc.moveDown(1.2)
    doc.font('Helvetica').fontSize(16).text('This certifies that', { align: 'center', width })
    doc.moveDown(0.6)
    doc.font('Helvetica-Bold').fontSize(26).text(c.personName, { align: 'center', width })
    doc.moveDown(0.6)
    doc.font('Helvetica').fontSize(16).text('has completed', { align: 'center', width })
    doc.moveDown(0.6)
    doc.font('Helvetica-Bold').fontSize(22).text(c.courseTitle, { align: 'center', width })
    doc.moveDown(0.4)
    doc
      .font('Helvetica')
      .fontSize(15)
      .text(`${c.facultyName}. Level: ${c.levelText}`, { align: 'center', width })
    doc.moveDown(0.4)
    const validity = c.expiresAt ? `. Valid until ${day.format(new Date(c.expiresAt))}` : ''
    doc.text(`Awarded on ${day.format(new Date(c.issuedAt))}${validity}`, { align: 'center', width })
    doc.moveDown(2)
    doc
      .font('Helvetica-Bold')
      .fontSize(14)
      .text(`Verification code: ${formatCode(c.code)}`, { align: 'center', width })
    doc
      .font('Helvetica')
      .fontSize(12)
      .fillColor('#4c6272')
      .text(`Check this certificate at ${c.verifyUrl}`, { align: 'center', width })
    doc.end()
  })
}
