import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import JSZip from 'jszip'
import { boardMeasureRow, dataPointRow, measureRow } from '../db/rows.js'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { pdfText } from '../testing/pdf-text.js'
import { SESSION_COOKIE } from '../web/plugin.js'
import { insertProject } from '../projects/fixtures.js'
import { createRightsUsers, RIGHTS_ROLES, sessionFor } from '../projects/rights-fixtures.js'
import { userId } from '../measures/test-helpers.js'
import { BOARD_PACK_JOB } from './pack-service.js'

const CARA = 'cara.cycle@example.invalid' // coach and Steering Group
const ESME = 'esme.exec@example.invalid' // Board
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation'

/** The text of each slide of a .pptx, in slide order. */
async function slides(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes)
  const names = Object.keys(zip.files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml/.exec(a)![1]) - Number(/(\d+)\.xml/.exec(b)![1]))
  return Promise.all(
    names.map(async (n) =>
      [...(await zip.file(n)!.async('string')).matchAll(/<a:t>([^<]*)<\/a:t>/g)]
        .map((m) => m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'))
        .join(' '),
    ),
  )
}

/** Slides of flagged measures: each has its "Latest annotations" block. */
const chartSlides = (all: string[]) => all.filter((s) => s.includes('Latest annotations'))

for (const { dialect, skip } of await testDialects()) {
  describe(`governance: the board pack, made in the background, on ${dialect}`, { skip }, () => {
    let t: TestApp
    let cara: TestBrowser
    let esme: TestBrowser

    before(async () => {
      t = await startTestApp(dialect)
      cara = new TestBrowser(t.app)
      await cara.signIn(CARA)
      esme = new TestBrowser(t.app)
      await esme.signIn(ESME)
    })
    after(() => t?.close())

    const db = () => t.db.database.db
    const packId = (location: unknown) => /^\/board\/packs\/([^/]+)$/.exec(String(location))?.[1] ?? ''
    const jobsOf = () =>
      db()
        .selectFrom('jobs')
        .select(['id', 'status', 'attempts'])
        .where('kind', '=', BOARD_PACK_JOB)
        .execute()

    /** Asks for a pack as this browser, runs the queue, and returns the pack's id. */
    async function makePack(browser: TestBrowser): Promise<string> {
      await browser.get('/board')
      const asked = await browser.post('/board/packs', {})
      assert.equal(asked.statusCode, 303)
      const id = packId(asked.headers.location)
      assert.ok(id, String(asked.headers.location))
      await t.services.jobs.runDue()
      return id
    }

    test('one click: queued, made by the job, downloaded as .pptx and PDF, printed, audited', async () => {
      const board = await esme.get('/board')
      assert.match(board.body, /Make a board pack/)
      const csv = (await esme.get('/board.csv')).body.split('\r\n').slice(1).filter(Boolean)
      assert.equal(csv.length, 2, 'the demo flags two measures')
      const asked = await esme.post('/board/packs', {})
      assert.equal(asked.statusCode, 303)
      const id = packId(asked.headers.location)
      const waiting = await esme.get(`/board/packs/${id}`)
      assert.equal(waiting.statusCode, 200)
      assert.equal(waiting.headers.refresh, '3', 'refreshes itself without JavaScript')
      assert.match(waiting.body, /Stop refreshing this page/)
      const stopped = await esme.get(`/board/packs/${id}?refresh=off`)
      assert.equal(stopped.headers.refresh, undefined, 'unless the person stops it')
      assert.match(stopped.body, /turn refreshing back on/)
      assert.match(waiting.body, /Waiting to start/)
      const early = await esme.get(`/board/packs/${id}/board-pack.pptx`)
      assert.equal(early.statusCode, 404)
      assert.match(String(early.headers['content-type']), /problem\+json/)

      assert.equal(await t.services.jobs.runDue(), 1)
      const ready = await esme.get(`/board/packs/${id}`)
      assert.equal(ready.headers.refresh, undefined)
      assert.match(ready.body, /Ready/)
      assert.match(ready.body, /Data as at/)
      const listed = await esme.get('/board/packs')
      assert.match(listed.body, new RegExp(`data-pack="${id}"`))

      const pptx = await esme.get(`/board/packs/${id}/board-pack.pptx`)
      assert.equal(pptx.statusCode, 200)
      assert.equal(pptx.headers['content-type'], PPTX)
      assert.match(
        String(pptx.headers['content-disposition']),
        /^attachment; filename="board-pack-\d{4}-\d\d-\d\d\.pptx"$/,
      )
      const all = await slides(pptx.rawPayload)
      assert.match(all[0], /One Gloucestershire Improvement Community/)
      assert.match(all[0], /Data as at \d+ \w+ \d{4}/)
      assert.match(all[1], /Making Data Count summary/)
      const charts = chartSlides(all)
      assert.equal(charts.length, 2, 'one slide per flagged measure')
      // Each flagged measure's slide: its title and the figures the Board summary shows.
      for (const line of csv) {
        const cells = line.split(',')
        const [name, , , , period, latest] = [cells[1], cells[2], cells[3], cells[4], cells[5], cells[6]]
        const slide = charts.find((s) => s.startsWith(name))
        assert.ok(slide, `a slide for ${name}`)
        assert.match(slide, new RegExp(`Latest point ${period}: ${latest.replace(/[.()]/g, '\\$&')}\\.`))
        assert.match(slide, /Variation: /)
        assert.match(all[1], new RegExp(name.replace(/[.()]/g, '\\$&')))
      }
      // The latest annotations of a project every member may open, with their dates.
      assert.ok(
        charts.some((s) => /Latest annotations \d+ \w+ \d{4}: \S/.test(s)),
        'an annotation on a flagged measure',
      )
      const zip = await JSZip.loadAsync(pptx.rawPayload)
      assert.ok(
        Object.keys(zip.files).filter((n) => /^ppt\/media\/.*\.png$/.test(n)).length >= 2,
        'the charts are pictures',
      )
      const table = await zip.file('ppt/slides/slide2.xml')!.async('string')
      assert.equal(table.match(/<p:pic>/g)?.length, 4, 'each row’s variation and assurance icons')
      assert.match(table, /descr="Special cause [^"]+"/)
      assert.ok(
        all.some((s) => /Capability and portfolio Capability Awareness: \d+ trained/.test(s)),
        'people trained per level, from the learning records',
      )
      assert.ok(all.some((s) => /Portfolio \d+ projects? \(as the person who asked/.test(s)))
      assert.ok(all.some((s) => /Highlights/.test(s)))

      const pdf = await esme.get(`/board/packs/${id}/board-pack.pdf`)
      assert.equal(pdf.statusCode, 200)
      assert.equal(pdf.headers['content-type'], 'application/pdf')
      assert.match(String(pdf.headers['content-disposition']), /^attachment; /)
      const { lines, embedded } = pdfText(pdf.rawPayload)
      const pdfWords = lines.join(' ')
      assert.ok(embedded >= 1, 'the font is embedded')
      for (const line of csv) assert.ok(pdfWords.includes(line.split(',')[1]), line)
      assert.match(pdfWords, /Data as at/)

      const print = await esme.get(`/board/packs/${id}/print`)
      assert.equal(print.statusCode, 200)
      assert.match(print.body, /<link rel="stylesheet" href="\/board\/packs\/print.css">/)
      assert.match(print.body, /Latest annotations/)
      assert.match(print.body, /<th class="nhsuk-table__header" scope="col">Latest point<\/th>/)
      // The table's variation and assurance as icons beside the words.
      assert.match(
        print.body,
        /app-pack-icons"><svg[^>]+aria-label="Special cause [^"]+">[\s\S]*?<\/svg>Special cause/,
      )
      assert.match(print.body, /app-pack-icons"><svg[^>]+aria-label="The target is [^"]+">/)
      const css = await esme.get('/board/packs/print.css')
      assert.match(css.body, /@media print/)

      const requested = await t.services.audit.search({ action: 'governance.board_pack_requested' })
      assert.equal(requested.items.filter((a) => a.entityId === id).length, 1)
      const downloads = await t.services.audit.search({ action: 'governance.board_pack_downloaded' })
      assert.equal(downloads.items.filter((a) => a.entityId === id).length, 2)
    })

    test('two requests at once make one pack and one job; a later request makes a distinct pack', async () => {
      await esme.get('/board')
      await cara.get('/board')
      const before = (await jobsOf()).length
      const [a, b] = await Promise.all([esme.post('/board/packs', {}), cara.post('/board/packs', {})])
      assert.equal(a.statusCode, 303)
      assert.equal(b.statusCode, 303)
      assert.equal(a.headers.location, b.headers.location)
      const live = await db().selectFrom('board_packs').select('id').where('status', '=', 'queued').execute()
      assert.equal(live.length, 1)
      assert.equal((await jobsOf()).length, before + 1)
      assert.equal(await t.services.jobs.runDue(), 1)
      assert.equal(await t.services.jobs.runDue(), 0, 'nothing left to run: no second job')
      const next = await esme.post('/board/packs', {})
      assert.notEqual(next.headers.location, a.headers.location)
      await t.services.jobs.runDue()
    })

    test('a worker killed half-way: the job is claimed again when its lease lapses, and the pack stored once', async () => {
      await esme.get('/board')
      const asked = await esme.post('/board/packs', {})
      const id = packId(asked.headers.location)
      // What a worker that died after claiming the job and drawing half of the pack leaves behind.
      await db()
        .updateTable('jobs')
        .set({
          status: 'running',
          locked_by: 'a-worker-that-died',
          locked_until: new Date(Date.now() - 1000).toISOString(),
          attempts: 1,
        })
        .where('kind', '=', BOARD_PACK_JOB)
        .where('status', '=', 'queued')
        .execute()
      await db()
        .updateTable('board_packs')
        .set({ status: 'running', progress: 40 })
        .where('id', '=', id)
        .execute()
      const halfway = await esme.get(`/board/packs/${id}`)
      assert.match(halfway.body, /Being made: 40%/)
      assert.equal(halfway.headers.refresh, '3')
      assert.equal((await esme.get('/board/packs')).headers.refresh, '3', 'the list refreshes too')
      assert.equal(await t.services.jobs.runDue(), 1)
      const job = (await jobsOf()).find((j) => j.status === 'done' && Number(j.attempts) === 2)
      assert.ok(job, 'the job ran a second time, to the end')
      const pack = await db()
        .selectFrom('board_packs')
        .select(['status', 'progress', 'live'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.deepEqual(
        { ...pack, progress: Number(pack.progress) },
        { status: 'done', progress: 100, live: null },
      )
      assert.equal((await esme.get(`/board/packs/${id}/board-pack.pptx`)).statusCode, 200)
    })

    test('a target changed after the pack was asked for: the pack states its data as at, with the new target', async () => {
      const flagged = await db()
        .selectFrom('board_measures')
        .innerJoin('measures', 'measures.id', 'board_measures.measure_id')
        .select(['measures.id', 'measures.name', 'measures.version'])
        .orderBy('board_measures.flagged_at')
        .executeTakeFirstOrThrow()
      await esme.get('/board')
      const asked = await esme.post('/board/packs', {})
      const id = packId(asked.headers.location)
      const changedAt = new Date().toISOString()
      await db()
        .updateTable('measures')
        .set({ target: 4321, version: Number(flagged.version) + 1 })
        .where('id', '=', flagged.id)
        .execute()
      await t.services.jobs.runDue()
      const pack = await db()
        .selectFrom('board_packs')
        .select('data_as_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.ok(new Date(String(pack.data_as_at)).toISOString() >= changedAt, 'read after the change')
      const all = await slides((await esme.get(`/board/packs/${id}/board-pack.pptx`)).rawPayload)
      const slide = chartSlides(all).find((s) => s.startsWith(flagged.name))!
      assert.match(slide, /target 4,321\./)
      assert.match((await esme.get(`/board/packs/${id}`)).body, /Data as at/)
    })

    test('a job that fails on its last attempt leaves a failed pack that says so, and frees the next request', async () => {
      await esme.get('/board')
      const id = packId((await esme.post('/board/packs', {})).headers.location)
      // The person who asked has gone (their account deleted), and this is the job's last attempt.
      await db().updateTable('board_packs').set({ requested_by: null }).where('id', '=', id).execute()
      await db()
        .updateTable('jobs')
        .set({ max_attempts: 1 })
        .where('kind', '=', BOARD_PACK_JOB)
        .where('status', '=', 'queued')
        .execute()
      assert.equal(await t.services.jobs.runDue(), 1)
      const page = await esme.get(`/board/packs/${id}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Could not be made/)
      assert.equal(page.headers.refresh, undefined)
      assert.equal((await esme.get(`/board/packs/${id}/board-pack.pdf`)).statusCode, 404)
      assert.equal((await esme.get(`/board/packs/${id}/print`)).statusCode, 404)
      const next = await esme.post('/board/packs', {})
      assert.notEqual(packId(next.headers.location), id, 'a new pack, not the failed one')
      await t.services.jobs.runDue()
    })

    test('a pack of zero measures is still a pack, and says so', async () => {
      const flags = await db().selectFrom('board_measures').selectAll().execute()
      await db().deleteFrom('board_measures').execute()
      try {
        const id = await makePack(esme)
        const all = await slides((await esme.get(`/board/packs/${id}/board-pack.pptx`)).rawPayload)
        assert.equal(chartSlides(all).length, 0)
        assert.match(all.join(' '), /No measures were flagged for the Board when this pack was made/)
        assert.equal((await esme.get(`/board/packs/${id}/board-pack.pdf`)).statusCode, 200)
        assert.equal((await esme.get(`/board/packs/${id}/print`)).statusCode, 200)
      } finally {
        if (flags.length) await db().insertInto('board_measures').values(flags).execute()
      }
    })

    test('many measures split the table across slides; one with one point; one deleted before the job runs', async () => {
      const lead = await userId(db(), 'ada.aimwell')
      const project = await insertProject(db(), {
        title: 'Many measures',
        createdBy: lead,
        status: 'active',
        visibility: 'community',
      })
      const ids = Array.from({ length: 26 }, (_, i) => `pack-measure-${String(i).padStart(2, '0')}`)
      await db()
        .insertInto('measures')
        .values(ids.map((id, i) => measureRow({ id, project_id: project, name: `Pack measure ${i}` })))
        .execute()
      await db()
        .insertInto('measure_data_points')
        .values(
          ids.flatMap((id, i) =>
            Array.from({ length: i === 0 ? 1 : 14 }, (_, k) =>
              dataPointRow({
                measure_id: id,
                period: new Date(Date.UTC(2025, k, 1)).toISOString().slice(0, 10),
                value: 20 + ((k * 7 + i) % 9),
              }),
            ),
          ),
        )
        .execute()
      await db()
        .insertInto('board_measures')
        .values(
          ids.map((id, i) =>
            boardMeasureRow({
              measure_id: id,
              flagged_at: `2026-06-01T00:00:${String(i).padStart(2, '0')}Z`,
            }),
          ),
        )
        .execute()
      await esme.get('/board')
      const asked = await esme.post('/board/packs', {})
      const id = packId(asked.headers.location)
      // Deleted after the pack was asked for: it was flagged then, and is skipped with a note.
      await db().deleteFrom('measures').where('id', '=', ids[25]).execute()
      assert.equal(await t.services.jobs.runDue(), 1)
      const all = await slides((await esme.get(`/board/packs/${id}/board-pack.pptx`)).rawPayload)
      const charts = chartSlides(all)
      assert.equal(charts.length, 2 + 25)
      assert.ok(
        charts.some((s) => s.startsWith('Pack measure 0 ')),
        'a measure with one point has its slide',
      )
      assert.ok(!charts.some((s) => s.startsWith('Pack measure 25 ')))
      assert.match(all[0], /1 measure was flagged when the pack was asked for but deleted before it was made/)
      const tables = all.filter((s) => /^Making Data Count summary \(\d of 3\)/.test(s))
      assert.equal(tables.length, 3, '27 rows, 12 a slide')
      const print = await esme.get(`/board/packs/${id}/print`)
      assert.match(print.body, /Making Data Count summary \(3 of 3\)/)
      await db().deleteFrom('board_measures').where('measure_id', 'in', ids).execute()
    })

    test('a flagged measure of a team-only project: its slide has the chart and figures, not its annotations', async () => {
      const lead = await userId(db(), 'ada.aimwell')
      const project = await insertProject(db(), {
        title: 'Team only',
        createdBy: lead,
        status: 'active',
        visibility: 'team',
      })
      const ids = ['pack-team-measure', 'pack-open-measure']
      const open = await insertProject(db(), {
        title: 'Open to members',
        createdBy: lead,
        status: 'active',
        visibility: 'community',
      })
      await db()
        .insertInto('measures')
        .values([
          measureRow({ id: ids[0], project_id: project, name: 'Team measure' }),
          measureRow({ id: ids[1], project_id: open, name: 'Open measure' }),
        ])
        .execute()
      await db()
        .insertInto('measure_data_points')
        .values(
          ids.flatMap((id) =>
            Array.from({ length: 14 }, (_, k) =>
              dataPointRow({
                measure_id: id,
                period: new Date(Date.UTC(2025, k, 1)).toISOString().slice(0, 10),
                value: 20 + ((k * 7) % 9),
              }),
            ),
          ),
        )
        .execute()
      const at = new Date().toISOString()
      await db()
        .insertInto('measure_annotations')
        .values(
          ids.map((id, i) => ({
            id: `${id}-note`,
            measure_id: id,
            date: '2025-06-01',
            text: i === 0 ? 'Ward huddle moved' : 'Checklist launched',
            pdsa_id: null,
            is_rebase: false,
            created_by: lead,
            created_at: at,
          })),
        )
        .execute()
      await db()
        .insertInto('board_measures')
        .values(ids.map((id) => boardMeasureRow({ measure_id: id, flagged_at: at })))
        .execute()
      try {
        const id = await makePack(esme)
        const charts = chartSlides(
          await slides((await esme.get(`/board/packs/${id}/board-pack.pptx`)).rawPayload),
        )
        const team = charts.find((s) => s.startsWith('Team measure '))
        assert.ok(team, 'the team-only measure has its slide')
        assert.match(team, /Annotations are shown only for projects every member can open/)
        assert.doesNotMatch(charts.join(' '), /Ward huddle moved/)
        assert.match(
          charts.find((s) => s.startsWith('Open measure '))!,
          /1 June 2025: Checklist launched/,
        )
        const print = await esme.get(`/board/packs/${id}/print`)
        assert.doesNotMatch(print.body, /Ward huddle moved/)
      } finally {
        await db().deleteFrom('board_measures').where('measure_id', 'in', ids).execute()
      }
    })

    test('500 measures: every one in the table, split across slides; charts for the first 100, the rest noted', async () => {
      const flags = await db().selectFrom('board_measures').selectAll().execute()
      await db().deleteFrom('board_measures').execute()
      const lead = await userId(db(), 'ada.aimwell')
      const project = await insertProject(db(), {
        title: 'Five hundred measures',
        createdBy: lead,
        status: 'active',
        visibility: 'community',
      })
      const ids = Array.from({ length: 500 }, (_, i) => `big-measure-${String(i).padStart(3, '0')}`)
      await db()
        .insertInto('measures')
        .values(ids.map((id, i) => measureRow({ id, project_id: project, name: `Big measure ${i}` })))
        .execute()
      for (let i = 0; i < ids.length; i += 100)
        await db()
          .insertInto('measure_data_points')
          .values(
            ids.slice(i, i + 100).flatMap((id, j) =>
              Array.from({ length: 12 }, (_, k) =>
                dataPointRow({
                  measure_id: id,
                  period: new Date(Date.UTC(2025, k, 1)).toISOString().slice(0, 10),
                  value: 30 + ((k * 5 + j) % 7),
                }),
              ),
            ),
          )
          .execute()
      await db()
        .insertInto('board_measures')
        .values(
          ids.map((id, i) =>
            boardMeasureRow({
              measure_id: id,
              flagged_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
            }),
          ),
        )
        .execute()
      try {
        const started = Date.now()
        const id = await makePack(esme)
        assert.ok(Date.now() - started < 120_000, 'made in bounded time')
        const all = await slides((await esme.get(`/board/packs/${id}/board-pack.pptx`)).rawPayload)
        assert.equal(all.filter((s) => /^Making Data Count summary \(\d+ of 42\)/.test(s)).length, 42)
        assert.equal(chartSlides(all).length, 100)
        assert.match(
          all[0],
          /Charts are shown for the first 100 measures; the other 400 are in the summary table only/,
        )
        assert.ok(all.join(' ').includes('Big measure 499 '), 'the last measure is in the table')
        // The PDF: a title page, 42 pages of the table, 100 charts and the figures' page.
        const pdf = (await esme.get(`/board/packs/${id}/board-pack.pdf`)).rawPayload.toString('latin1')
        assert.ok(pdf.startsWith('%PDF-') && pdf.trimEnd().endsWith('%%EOF'))
        assert.equal(pdf.match(/\/Type \/Page\b/g)?.length, 1 + 42 + 100 + 1)
      } finally {
        await db().deleteFrom('measures').where('id', 'in', ids).execute()
        if (flags.length) await db().insertInto('board_measures').values(flags).execute()
      }
    })

    test('only the Board and the Steering Group: every role on every pack page and the request', async () => {
      const id = await makePack(cara)
      const users = await createRightsUsers(db())
      const pages = [
        '/board/packs',
        `/board/packs/${id}`,
        `/board/packs/${id}/print`,
        `/board/packs/${id}/board-pack.pptx`,
        `/board/packs/${id}/board-pack.pdf`,
      ]
      const downloads = (await t.services.audit.search({ action: 'governance.board_pack_downloaded' })).total
      let allowed = 0
      for (const role of RIGHTS_ROLES) {
        const browser = new TestBrowser(t.app)
        if (role !== 'anonymous')
          browser.cookies.set(SESSION_COOKIE, await sessionFor(t.services.sessions, db(), users[role].id))
        const reads = role === 'board' || role === 'steering_group'
        for (const url of pages) {
          const res = await browser.get(url)
          const download = /\.(pptx|pdf)$/.test(url)
          if (role === 'anonymous') {
            if (download) assert.equal(res.statusCode, 401, `${role} ${url}`)
            else assert.equal(res.statusCode, 303, `${role} ${url}`)
          } else assert.equal(res.statusCode, reads ? 200 : 403, `${role} ${url}`)
          if (download && reads) allowed++
          if (download && !reads) assert.match(String(res.headers['content-type']), /problem\+json/)
        }
        if (role === 'anonymous') continue
        await browser.get('/')
        const post = await browser.post('/board/packs', {})
        assert.equal(post.statusCode, reads ? 303 : 403, `${role} POST /board/packs`)
        if (reads) await t.services.jobs.runDue()
      }
      assert.equal(
        (await t.services.audit.search({ action: 'governance.board_pack_downloaded' })).total,
        downloads + allowed,
        'every download is audited, and only downloads that happened',
      )
      assert.equal((await esme.get('/board/packs/no-such-pack')).statusCode, 404)
      assert.equal((await esme.get('/board/packs/no-such-pack/board-pack.pdf')).statusCode, 404)
    })
  })
}
