import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { jpegWithExif, makePdf, makePng, multipart, pdfWith } from './fixtures.js'

const START = new Date('2026-12-03T10:00:00Z')

/** Posts the new-poster form with a file, as a browser does (multipart, the token in the address). */
async function upload(
  b: TestBrowser,
  fields: Record<string, string | string[]>,
  file: { filename: string; contentType: string; bytes: Buffer } | null,
  url = '/showcase/posters',
) {
  await b.get(url === '/showcase/posters' ? '/showcase/posters/new' : url)
  const body = multipart(fields, file)
  return b.request({
    method: 'POST',
    url: `${url}?_csrf=${encodeURIComponent(b.csrf)}`,
    payload: body.payload,
    headers: body.headers,
  })
}

const posterFields = (overrides: Record<string, string | string[]> = {}) => ({
  title: 'Virtual ward discharge huddles (DEMO)',
  summary: 'A daily ten-minute huddle cut the wait for discharge from the virtual ward. DEMO content.',
  occasionId: '',
  projectId: '',
  programmeId: 'prog-virtual-ward',
  organisationIds: ['org-ghc'],
  aimCodes: ['E3', 'L2'],
  funder: 'The Health Foundation, Q Exchange 2023',
  visibility: 'public',
  ...overrides,
})

for (const { dialect, skip } of await testDialects()) {
  describe(`showcase on ${dialect}`, { skip }, () => {
    let t: TestApp
    const now = START
    const as = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }
    before(async () => {
      t = await startTestApp(dialect, { clock: () => now })
    })
    after(() => t?.close())

    test('the six seed posters are on their occasion as posters to come, beside the QSIR posters collection', async () => {
      const visitor = new TestBrowser(t.app)
      const gallery = await visitor.get('/showcase')
      assert.equal(gallery.statusCode, 200)
      assert.match(gallery.body, /South West launch of NHS Impact/)
      assert.match(gallery.body, /QSIR posters/)
      assert.match(gallery.body, /No posters have been published yet/)
      const occasion = await visitor.get('/showcase/occasions/occ-nhs-impact-sw-2024')
      assert.equal(h1(occasion.body), 'South West launch of NHS Impact')
      assert.match(occasion.body, /May 2024/)
      for (const title of [
        'Acute Respiratory Infection (ARI) hubs',
        'Co-diagnosing dementia',
        'The discharge to assess pathway',
        'Supporting patients with Huntington&#39;s disease',
        'Smoking cessation in Inner City Gloucestershire',
        'We Wait Well',
      ])
        assert.ok(occasion.body.includes(title), title)
      assert.equal((occasion.body.match(/Poster to come/g) ?? []).length, 6)
      assert.match(occasion.body, /The Health Foundation, Q Exchange 2023/)
      // A poster to come shows no page and no file to a visitor.
      assert.equal((await visitor.get('/showcase/posters/poster-we-wait-well')).statusCode, 303)
      assert.equal((await visitor.get('/showcase/posters/poster-we-wait-well/download')).statusCode, 401)
    })

    test('the Steering Group creates an occasion with a voting window and categories; others may not', async () => {
      const ada = await as('ada.aimwell@example.invalid')
      assert.equal((await ada.get('/showcase/occasions/new')).statusCode, 403)
      const cara = await as('cara.cycle@example.invalid')
      const bad = await cara.submit('/showcase/occasions/new', '/showcase/occasions', {
        title: '',
        kind: 'event',
        votingOpensOnDay: '4',
        votingOpensOnMonth: '12',
        votingOpensOnYear: '2026',
      })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        'Enter the occasion’s title',
        'Enter the date it starts',
        'Enter both the date voting opens and the date it closes, or neither',
        'Enter at least one voting category',
      ])
      const ok = await cara.submit('/showcase/occasions/new', '/showcase/occasions', {
        title: 'Improvement fair 2026 (DEMO)',
        kind: 'event',
        startsOnDay: '3',
        startsOnMonth: '12',
        startsOnYear: '2026',
        votingOpensOnDay: '3',
        votingOpensOnMonth: '12',
        votingOpensOnYear: '2026',
        votingClosesOnDay: '10',
        votingClosesOnMonth: '12',
        votingClosesOnYear: '2026',
        votingClosesAt: '17:00',
        categories: "People's choice\nBest partnership",
      })
      assert.equal(ok.statusCode, 303)
      const page = await cara.get(String(ok.headers.location))
      assert.equal(h1(page.body), 'Improvement fair 2026 (DEMO)')
      assert.match(page.body, /Voting closes on/)
    })

    test('bad files are refused with a message and leave no poster behind', async () => {
      const ada = await as('ada.aimwell@example.invalid')
      const before = await t.db.database.db.selectFrom('showcase_items').select('id').execute()
      const cases: [string, { filename: string; contentType: string; bytes: Buffer } | null, RegExp][] = [
        ['no file', null, /Select a PDF, PNG or JPEG file/],
        [
          'a PNG named .pdf',
          { filename: 'poster.pdf', contentType: 'application/pdf', bytes: makePng(20, 20) },
          /is a PNG image but its name ends in \.pdf/,
        ],
        [
          'a script named .jpg',
          { filename: 'poster.jpg', contentType: 'image/jpeg', bytes: Buffer.from('alert(1)') },
          /is not a JPEG image/,
        ],
        [
          'an HTML file',
          {
            filename: 'poster.html',
            contentType: 'text/html',
            bytes: Buffer.from('<!doctype html><script>x</script>'),
          },
          /must be a PDF, PNG or JPEG/,
        ],
        [
          'a PDF with JavaScript',
          {
            filename: 'p.pdf',
            contentType: 'application/pdf',
            bytes: pdfWith('/OpenAction << /S /JavaScript /JS (app.alert(1)) >>'),
          },
          /contains JavaScript/,
        ],
        [
          'a PDF with a compressed attachment',
          {
            filename: 'p.pdf',
            contentType: 'application/pdf',
            bytes: pdfWith('/Names << /EmbeddedFiles 9 0 R >>', { compressed: true }),
          },
          /files attached inside it/,
        ],
        [
          'a 40,000 × 40,000 image',
          {
            filename: 'big.png',
            contentType: 'image/png',
            bytes: makePng(8, 8, { claimed: { width: 40000, height: 40000 } }),
          },
          /40,000 × 40,000 pixels/,
        ],
        [
          'a truncated image',
          { filename: 'cut.png', contentType: 'image/png', bytes: makePng(64, 64).subarray(0, 60) },
          /incomplete/,
        ],
      ]
      for (const [label, file, message] of cases) {
        const res = await upload(ada, posterFields(), file)
        assert.equal(res.statusCode, 400, label)
        assert.match(errorSummary(res.body)[0] ?? '', message, label)
      }
      const huge = await upload(ada, posterFields(), {
        filename: 'huge.pdf',
        contentType: 'application/pdf',
        bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024)]),
      })
      assert.equal(huge.statusCode, 413, errorSummary(huge.body).join() + huge.body.slice(0, 300))
      assert.match(errorSummary(huge.body)[0] ?? '', /smaller than 20 MB/)
      const after = await t.db.database.db.selectFrom('showcase_items').select('id').execute()
      assert.equal(after.length, before.length)
      assert.equal((await t.db.database.db.selectFrom('showcase_files').select('id').execute()).length, 0)
    })

    test('an image is re-encoded in the background job, its metadata dropped', async () => {
      const ada = await as('ada.aimwell@example.invalid')
      const res = await upload(ada, posterFields({ title: 'Photo poster (DEMO)' }), {
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
        bytes: jpegWithExif('GPS 51.86N 2.24W SECRET'),
      })
      assert.equal(res.statusCode, 303)
      const id = String(res.headers.location).split('/').pop()!
      const processing = await ada.get(`/showcase/posters/${id}`)
      assert.match(processing.body, /We are checking the file/)
      assert.equal(await t.services.jobs.runDue(), 1)
      const files = await t.db.database.db
        .selectFrom('showcase_files')
        .select(['role', 'content_type', 'bytes'])
        .where('item_id', '=', id)
        .execute()
      assert.deepEqual(files.map((f) => f.role).sort(), ['poster', 'preview', 'thumbnail'])
      for (const f of files) {
        assert.equal(f.content_type, 'image/png')
        assert.ok(!Buffer.from(f.bytes).includes('SECRET'))
      }
      const download = await ada.get(`/showcase/posters/${id}/download`)
      assert.equal(download.headers['content-type'], 'image/png')
      assert.match(
        String(download.headers['content-disposition']),
        /^attachment; filename="photo-poster-demo\.png"$/,
      )
    })

    test('from upload to the public gallery only through consent and approval; withdrawal hides it at once', async () => {
      const ada = await as('ada.aimwell@example.invalid')
      const visitor = new TestBrowser(t.app)
      const created = await upload(ada, posterFields({ occasionId: 'coll-qsir-posters' }), {
        filename: 'huddles.pdf',
        contentType: 'application/pdf',
        bytes: await makePdf(),
      })
      assert.equal(created.statusCode, 303)
      const id = String(created.headers.location).split('/').pop()!
      await t.services.jobs.runDue()
      const early = await ada.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/submit`, {})
      assert.equal(early.statusCode, 400)
      assert.match(errorSummary(early.body)[0] ?? '', /Record consent/)
      const noDate = await ada.submit(`/showcase/posters/${id}/consent`, `/showcase/posters/${id}/consent`, {
        personName: 'Pat Partner (DEMO)',
        appearsAs: 'quoted',
        method: 'written',
      })
      assert.deepEqual(errorSummary(noDate.body), ['Enter the date consent was given'])
      const consent = await ada.post(`/showcase/posters/${id}/consent`, {
        personName: 'Pat Partner (DEMO)',
        appearsAs: 'quoted',
        method: 'written',
        givenOnDay: '1',
        givenOnMonth: '12',
        givenOnYear: '2026',
      })
      assert.equal(consent.statusCode, 303)
      assert.equal(
        (
          await ada.submit(`/showcase/posters/${id}/consent`, `/showcase/posters/${id}/consent/confirm`, {
            confirmed: 'on',
          })
        ).statusCode,
        303,
      )
      assert.equal(
        (await ada.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/submit`, {})).statusCode,
        303,
      )
      assert.equal(
        (await visitor.get(`/showcase/posters/${id}`)).statusCode,
        303,
        'not public while submitted',
      )
      const cara = await as('cara.cycle@example.invalid')
      const queue = await cara.get('/showcase/review')
      assert.match(queue.body, /Virtual ward discharge huddles/)
      const returned = await cara.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/decision`, {
        decision: 'return',
      })
      assert.deepEqual(errorSummary(returned.body), [
        'Enter comments for the team: say what to change, or why the poster is withdrawn',
      ])
      assert.equal(
        (
          await cara.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/decision`, {
            decision: 'approve',
          })
        ).statusCode,
        303,
      )
      const page = await visitor.get(`/showcase/posters/${id}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<meta property="og:title" content="Virtual ward discharge huddles \(DEMO\)">/)
      assert.match(page.body, /<meta name="description"/)
      const file = await visitor.get(`/showcase/posters/${id}/download`)
      assert.equal(file.headers['content-type'], 'application/pdf')
      assert.match(String(file.headers['content-disposition']), /^attachment;/)
      assert.match(String(file.headers['content-security-policy']), /sandbox/)
      const search = await visitor.get(
        '/showcase?q=huddle&programme=prog-virtual-ward&aim=E3&organisation=org-ghc&year=2026',
      )
      assert.match(search.body, /1 poster found/)
      assert.match((await visitor.get('/showcase?q=huddle&aim=F1')).body, /0 posters found/)
      assert.deepEqual(
        (await t.services.showcase.listPublicPosters()).map((p) => p.id),
        [id],
      )
      // Pat withdraws consent: hidden from every public route at once.
      const consentId = (
        await t.db.database.db
          .selectFrom('showcase_consents')
          .select('id')
          .where('item_id', '=', id)
          .executeTakeFirstOrThrow()
      ).id
      assert.equal(
        (
          await ada.submit(
            `/showcase/posters/${id}/consent`,
            `/showcase/posters/${id}/consent/${consentId}/withdraw`,
            {},
          )
        ).statusCode,
        303,
      )
      assert.equal((await visitor.get(`/showcase/posters/${id}`)).statusCode, 303)
      assert.equal((await visitor.get(`/showcase/posters/${id}/download`)).statusCode, 401)
      assert.equal((await visitor.get(`/showcase/posters/${id}/thumbnail.png`)).statusCode, 401)
      assert.match((await visitor.get('/showcase?q=huddle')).body, /0 posters found/)
      assert.deepEqual(await t.services.showcase.listPublicPosters(), [])
      assert.match((await ada.get(`/showcase/posters/${id}`)).body, /consent has been withdrawn/)
    })
  })
}
