import { commentRow, projectAimRow } from '../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Migrator } from 'kysely/migration'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { openTestDatabase, testDialects } from '../testing/databases.js'
import { migrationProvider, migrations } from '../db/migrations/index.js'
import { migrateToLatest } from '../db/migrate.js'
import { read } from '../db/database.js'
import { screenText } from '../core/pid-screen.js'
import { requestForm } from '../facilitation/test-helpers.js'

const NHS = '943 476 5919'
const PID_PROBLEM = `Patient Mr Smith NHS number ${NHS} born 01/02/1950 at GL1 2AB missed insulin.`

for (const { dialect, skip } of await testDialects()) {
  describe(`patient-data screening and the audit log on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let ivy: TestBrowser
    const db = () => t.db.database.db
    const count = async (table: 'projects' | 'audit_log' | 'mail_outbox' | 'enquiries') =>
      read.num(
        (
          await db()
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const auditText = async () => JSON.stringify(await db().selectFrom('audit_log').selectAll().execute())

    before(async () => {
      t = await startTestApp(dialect)
      ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
    })
    after(() => t?.close())

    test('the demo content passes screening (no false positives in its dates and names)', async () => {
      let checked = 0
      for (const table of await db().introspection.getTables()) {
        if (table.name === 'audit_log') continue
        const rows = await db()
          .selectFrom(table.name as 'projects')
          .selectAll()
          .execute()
        for (const row of rows)
          for (const [column, value] of Object.entries(row)) {
            if (typeof value !== 'string' || /hash|token|secret|password|^id$|_id$/.test(column)) continue
            checked++
            assert.equal(screenText(value), null, `${table.name}.${column}`)
          }
      }
      assert.ok(checked > 500, `${checked} texts`)
    })

    test('a problem statement with an NHS number is refused: 400, error summary, nothing stored, audited or mailed', async () => {
      const before = await Promise.all([count('projects'), count('audit_log'), count('mail_outbox')])
      await ada.get('/projects/new')
      const res = await ada.post('/projects', {
        title: 'Insulin on time',
        problem: PID_PROBLEM,
        organisationIds: 'org-ghft',
      })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), [
        'Problem statement: this looks like it contains an NHS number. Remove patient details (NHS numbers, hospital numbers, dates of birth, postcodes and patient names): this platform holds no patient data',
      ])
      assert.ok(!errorSummary(res.body).join(' ').includes('943'))
      assert.deepEqual(
        await Promise.all([count('projects'), count('audit_log'), count('mail_outbox')]),
        before,
      )
    })

    test('the Get involved form refuses an NHS number: nothing stored, audited or e-mailed', async () => {
      const before = await Promise.all([count('enquiries'), count('audit_log'), count('mail_outbox')])
      const visitor = new TestBrowser(t.app)
      const res = await visitor.submit('/get-involved', '/get-involved', {
        name: 'Pat Visitor',
        email: 'pat@example.org',
        organisation: '',
        topic: 'other',
        message: `About my mum, NHS number ${NHS}`,
      })
      assert.equal(res.statusCode, 400)
      assert.match(errorSummary(res.body)[0], /^Message: this looks like it contains an NHS number\./)
      assert.deepEqual(
        await Promise.all([count('enquiries'), count('audit_log'), count('mail_outbox')]),
        before,
      )
    })

    test('an IG lead configures a hospital-number pattern; others cannot; bad patterns are refused', async () => {
      assert.equal((await ada.get('/admin/screening')).statusCode, 403)
      await ada.get('/projects')
      assert.equal(
        (await ada.post('/admin/screening', { label: 'x', kind: 'mask', pattern: 'AB123456' })).statusCode,
        403,
      )
      let res = await ivy.get('/admin/screening')
      assert.equal(h1(res.body), 'Patient-data screening')
      res = await ivy.post('/admin/screening', { label: 'Catastrophic', kind: 'regex', pattern: '(a+)+$' })
      assert.equal(res.statusCode, 400)
      assert.equal(errorSummary(res.body).length, 1)
      res = await ivy.post('/admin/screening', { label: 'Too broad', kind: 'regex', pattern: '\\d{1,6}' })
      assert.equal(res.statusCode, 400)
      res = await ivy.post('/admin/screening', {
        label: 'Trust hospital number',
        kind: 'mask',
        pattern: 'AB123456',
      })
      assert.equal(res.statusCode, 303)

      await ada.get('/projects/new')
      res = await ada.post('/projects', {
        title: 'Insulin on time',
        problem: 'Missed doses, for example XY987654 last week',
        organisationIds: 'org-ghft',
      })
      assert.equal(res.statusCode, 400)
      assert.match(
        errorSummary(res.body)[0],
        /^Problem statement: this looks like it contains a hospital number\./,
      )

      // Removing goes through a confirmation page; then the text is accepted.
      const id = (await db().selectFrom('screening_patterns').select('id').executeTakeFirstOrThrow()).id
      res = await ivy.get(`/admin/screening/${id}/remove`)
      assert.match(h1(res.body), /^Remove the pattern/)
      assert.equal((await ivy.post(`/admin/screening/${id}/remove`, {})).statusCode, 400)
      assert.equal((await ivy.post(`/admin/screening/${id}/remove`, { confirm: 'yes' })).statusCode, 303)
      assert.equal((await db().selectFrom('screening_patterns').select('id').execute()).length, 0)
    })

    test('after every kind of change the audit log holds none of the typed text', async () => {
      const typed = {
        title: 'Quieter nights on Ward Seven',
        problem: 'Noise at night keeps people awake and slows their recovery considerably',
        what: 'Reduce the night-time noise complaints',
        comment: 'Earplugs trial looks promising already',
        pageBody: 'Our community welcomes everybody interested in improving care',
        bio: 'Keen on sleep hygiene and quiet wards',
        enquiry: 'I would like to hear more about quiet hours',
        enquirer: 'Quentin Enquirer',
        need: 'Help planning quiet-hours workshops with the night staff',
        stakeholders: 'Night sisters, estates team and two carers',
      }
      await ada.get('/projects/new')
      let res = await ada.post('/projects', {
        title: typed.title,
        problem: typed.problem,
        organisationIds: 'org-ghft',
      })
      assert.equal(res.statusCode, 303)
      const projectId = String(res.headers.location).split('/')[2]
      await ada.get(`/projects/${projectId}/edit`)
      const version = (
        await db()
          .selectFrom('projects')
          .select('version')
          .where('id', '=', projectId)
          .executeTakeFirstOrThrow()
      ).version
      res = await ada.post(`/projects/${projectId}/edit`, {
        title: `${typed.title} again`,
        problem: typed.problem,
        organisationIds: 'org-ghft',
        qsirStage: 'start_out',
        version: String(version),
      })
      assert.equal(res.statusCode, 303, `edit: ${errorSummary(res.body).join('; ')}`)
      await ada.get(`/projects/${projectId}/aim`)
      res = await ada.post(`/projects/${projectId}/aim`, {
        what: typed.what,
        measure: 'complaints a week',
        baseline: '12',
        target: '4',
        forWhom: 'people on the ward',
        byWhen: '31 March 2027',
        aimVersion: '0',
        intent: 'save',
      })
      assert.equal(res.statusCode, 303)
      await ada.get(`/projects/${projectId}`)
      res = await ada.post(`/projects/${projectId}/comments`, { body: typed.comment, targetType: 'project' })
      assert.equal(res.statusCode, 303)
      await ivy.get('/admin/pages/about')
      const page = await db()
        .selectFrom('pages')
        .select('version')
        .where('slug', '=', 'about')
        .executeTakeFirst()
      res = await ivy.post('/admin/pages/about', {
        title: 'About us',
        summary: '',
        body: typed.pageBody,
        version: String(page ? read.num(page.version) : 0),
      })
      assert.equal(res.statusCode, 303)
      await ada.get('/profile/edit')
      const me = await db()
        .selectFrom('users')
        .select('version')
        .where('email', '=', 'ada.aimwell@example.invalid')
        .executeTakeFirstOrThrow()
      res = await ada.post('/profile/edit', {
        name: 'Ada Aimwell (DEMO)',
        organisationId: 'org-ghft',
        jobRole: 'Ward manager',
        bio: typed.bio,
        skills: '',
        interests: '',
        qiLevel: 'foundation',
        version: String(me.version),
      })
      assert.equal(res.statusCode, 303)
      const visitor = new TestBrowser(t.app)
      res = await visitor.submit('/get-involved', '/get-involved', {
        name: typed.enquirer,
        email: 'quentin@example.org',
        organisation: '',
        topic: 'other',
        message: typed.enquiry,
      })
      assert.equal(res.statusCode, 303)

      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      res = await gus.submit(
        '/support/requests/new',
        '/support/requests',
        requestForm({ title: `${typed.title} support`, need: typed.need, stakeholders: typed.stakeholders }),
      )
      assert.equal(res.statusCode, 303, 'support request')

      const log = await auditText()
      for (const [what, text] of Object.entries(typed))
        assert.ok(!log.includes(text), `${what} is not in the audit log`)
      assert.ok(!log.includes('quentin@example.org'), "a visitor's address is not in the audit log")
      // The audit page still says what changed.
      res = await ivy.get('/admin/audit?action=project.create')
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /title set \(28 characters\)/)
    })

    test('an IG lead redacts a project, its aim versions and comments; audited without text; 403 to others', async () => {
      const secret = 'Mrs Example on Ward Nine'
      await ada.get('/projects/new')
      let res = await ada.post('/projects', {
        title: 'Falls on Ward Nine',
        problem: 'Falls rising',
        organisationIds: 'org-ghft',
      })
      const projectId = String(res.headers.location).split('/')[2]
      // Text that got in before screening existed: written straight to the tables.
      await db().updateTable('projects').set({ problem: secret }).where('id', '=', projectId).execute()
      await db()
        .insertInto('comments')
        .values(
          commentRow({ id: `c-${projectId}`, project_id: projectId, target_id: projectId, body: secret }),
        )
        .execute()
      await db()
        .insertInto('project_aims')
        .values(
          projectAimRow({
            id: `a-${projectId}`,
            project_id: projectId,
            what: secret,
            measure: 'falls',
            target: '5',
            for_whom: secret,
            by_when: '2027',
            statement: secret,
          }),
        )
        .execute()

      assert.equal((await ada.get(`/admin/redact/project/${projectId}`)).statusCode, 403)
      await ada.get('/projects')
      assert.equal((await ada.post(`/admin/redact/project/${projectId}`, { confirm: 'yes' })).statusCode, 403)

      res = await ivy.get(`/admin/redact/project/${projectId}`)
      assert.equal(h1(res.body), 'Redact “Falls on Ward Nine”?')
      assert.match(res.body, /1 version of its aim/)
      assert.match(res.body, /1 comment/)
      assert.equal(
        (await ivy.post(`/admin/redact/project/${projectId}`, {})).statusCode,
        400,
        'needs confirming',
      )
      res = await ivy.post(`/admin/redact/project/${projectId}`, { confirm: 'yes' })
      assert.equal(res.statusCode, 303)

      const record = JSON.stringify([
        await db().selectFrom('projects').selectAll().where('id', '=', projectId).execute(),
        await db().selectFrom('project_aims').selectAll().where('project_id', '=', projectId).execute(),
        await db().selectFrom('comments').selectAll().where('project_id', '=', projectId).execute(),
        await db().selectFrom('project_activity').selectAll().where('project_id', '=', projectId).execute(),
      ])
      for (const text of [secret, 'Falls on Ward Nine', 'Falls rising'])
        assert.ok(!record.includes(text), text)
      assert.match(record, /\[Redacted by the information governance lead on \d{1,2} [A-Z][a-z]+ \d{4}\]/)
      assert.ok(!(await auditText()).includes(secret))
      const entry = await db()
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'record.redacted')
        .where('entity_id', '=', projectId)
        .executeTakeFirstOrThrow()
      assert.equal(entry.entity_type, 'project')
      assert.ok(read.json<{ redacted: string[] }>(entry.after, { redacted: [] }).redacted.includes('aims'))
    })

    test('a page and its revisions are redacted', async () => {
      const res = await ivy.post('/admin/redact/page/about', { confirm: 'yes' })
      assert.equal(res.statusCode, 303)
      const revisions = await db()
        .selectFrom('page_revisions')
        .select(['title', 'body_md'])
        .where('slug', '=', 'about')
        .execute()
      assert.ok(revisions.length >= 2)
      assert.ok(
        revisions.every((r) => r.body_md.startsWith('[Redacted by the information governance lead on')),
      )
      const page = await ivy.get('/about')
      assert.ok(!page.body.includes('Our community welcomes everybody'))
    })
  })

  describe(`the audit migration on ${dialect}`, { skip }, () => {
    test('converts an old audit row with free text, keeping structured values', async () => {
      const { database, cleanup } = await openTestDatabase(dialect, { migrate: false })
      try {
        const names = Object.keys(migrations)
        const mine = names.indexOf('2026-12-02T0900-audit-without-free-text')
        const migrator = new Migrator({
          db: database.db,
          provider: migrationProvider,
          ...(database.schema ? { migrationTableSchema: database.schema } : {}),
        })
        const result = await migrator.migrateTo(names[mine - 1])
        assert.equal(result.error, undefined)
        await database.db
          .insertInto('audit_log')
          .values({
            at: '2026-11-30T10:00:00.000Z',
            actor_id: null,
            actor_label: 'typed@example.org',
            action: 'project.update',
            entity_type: 'project',
            entity_id: 'p-1',
            ip: null,
            before: JSON.stringify({ status: 'draft', problem: PID_PROBLEM, version: 2 }),
            after: JSON.stringify({
              status: 'active',
              problem: 'Shorter text',
              at: '2026-11-30T10:00:00.000Z',
            }),
          })
          .execute()
        await migrateToLatest(database)
        const row = await database.db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow()
        const text = JSON.stringify(row)
        // The NHS number as written and as digits (not '943' alone: the row's 64-digit hex hashes
        // hold that by chance about one run in twenty).
        for (const gone of ['Smith', NHS, NHS.replaceAll(' ', ''), 'Shorter text'])
          assert.ok(!text.includes(gone), `the converted row still holds "${gone}"`)
        assert.ok(!text.includes('typed@example.org'))
        const beforeValue = read.json<Record<string, unknown>>(row.before, {})
        assert.equal(beforeValue.status, 'draft')
        assert.equal(beforeValue.version, 2)
        assert.deepEqual(Object.keys(beforeValue.problem as object).sort(), ['changed', 'hash', 'length'])
        assert.equal((beforeValue.problem as { length: number }).length, [...PID_PROBLEM].length)
        const afterValue = read.json<Record<string, unknown>>(row.after, {})
        assert.equal(afterValue.at, '2026-11-30T10:00:00.000Z')
        await assert.rejects(
          database.db.updateTable('audit_log').set({ action: 'x' }).execute(),
          /append-only/,
        )
        await assert.rejects(database.db.deleteFrom('audit_log').execute(), /append-only/)
      } finally {
        await cleanup()
      }
    })
  })
}
