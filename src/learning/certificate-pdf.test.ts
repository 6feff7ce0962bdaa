import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { pdfText } from '../testing/pdf-text.js'
import { certificatePdf, printable, REPLACEMENT } from './certificate-pdf.js'

const content = (personName: string, courseTitle = 'QSIR Practitioner') => ({
  personName,
  courseTitle,
  facultyName: 'QSIR faculty',
  levelText: 'Practitioner',
  issuedAt: '2027-03-04T12:00:00.000Z',
  expiresAt: null,
  code: 'ABCDEFGHJKMNPQRS',
  verifyUrl: 'http://localhost:3000/certificates/verify/ABCD-EFGH-JKMN-PQRS',
})

describe('certificate PDF', () => {
  for (const name of [
    'Łucja Dvořák-Nguyễn',
    'Rhiannon ŵŷ',
    'Αλέξανδρος',
    'Юлия',
    'Siân Ó Móráin-Øster',
    'Nguyễn Thị Ánh Tuyết',
  ])
    test(`prints “${name}” as text a reader can copy back`, async () => {
      const { lines, fonts, embedded } = pdfText(await certificatePdf(content(name)))
      assert.ok(lines.includes(name), `${name} not in ${JSON.stringify(lines)}`)
      assert.ok(lines.includes('Awarded on 4 March 2027'))
      assert.ok(
        fonts.every((f) => /\+DejaVuSans/.test(f)),
        `only the embedded subset fonts: ${fonts.join()}`,
      )
      assert.ok(embedded >= 1, 'the font file is embedded')
    })

  test('a name written with combining accents prints composed', async () => {
    const { lines } = pdfText(await certificatePdf(content('Nguye\u0302\u0303n')))
    assert.ok(lines.includes('Nguyễn'))
  })

  test('characters the font lacks become U+FFFD with a note, never another letter', async () => {
    const { lines } = pdfText(await certificatePdf(content('Li 王芳', 'Ελληνικά 日本')))
    assert.ok(lines.includes(`Li ${REPLACEMENT}${REPLACEMENT}`), JSON.stringify(lines))
    assert.ok(lines.includes(`Ελληνικά ${REPLACEMENT}${REPLACEMENT}`))
    assert.ok(lines.some((l) => /verification page shows it in full/.test(l)))
  })

  test('printable keeps covered characters and says when it replaced one', () => {
    const latin = (cp: number) => cp < 0x250
    assert.deepEqual(printable('Zoë', latin), { text: 'Zoë', complete: true })
    assert.deepEqual(printable('Zoë Ω', latin), { text: `Zoë ${REPLACEMENT}`, complete: false })
    assert.deepEqual(printable('a\tb', latin), { text: 'a b', complete: true })
  })
})
