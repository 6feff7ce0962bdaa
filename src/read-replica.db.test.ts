import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { CompiledQuery } from 'kysely'
import { buildApp } from './app.js'
import { openDatabase, type Database } from './db/database.js'
import { loadDemoContent } from './demo/load.js'
import { testConfig, TestBrowser, TEST_PASSWORD } from './testing/app.js'
import {
  copyTestSchema,
  openTestDatabase,
  testDialects,
  TEST_DATABASE_URL,
  type TestDatabase,
} from './testing/databases.js'
import { READ_YOUR_WRITES_MS } from './web/read-your-writes.js'

const PRIMARY_TITLE = 'Timely discharge before noon on Ward 3 (DEMO)'
const REPLICA_TITLE = 'Timely discharge before noon on Ward 3 (REPLICA)'
const REPLICA_COURSE = 'QSIR Fundamentals (REPLICA)'
const REPLICA_EVENT = 'DEMO: Process mapping taster workshop (REPLICA)'
const REPLICA_NAME = 'Ada Aimwell (REPLICA)'

/** The names on the directory's cards (the header names the signed-in person from the primary). */
const cardNames = (html: string) =>
  [...html.matchAll(/href="\/people\/[^"]+">\s*([^<]+?)\s*</g)].map((m) => m[1])

for (const { dialect, skip } of await testDialects()) {
  describe(`database.reader on ${dialect}`, { skip }, () => {
    test('without a replica the reader is the primary itself', async () => {
      const t = await openTestDatabase(dialect, { migrate: false })
      try {
        assert.equal(t.database.reader, t.database.db)
      } finally {
        await t.cleanup()
      }
    })
  })

  describe(
    `a read replica behind DATABASE_READ_URL on ${dialect}`,
    {
      skip:
        dialect === 'sqlite'
          ? 'SQLite has no read replicas: database.reader is the database file itself'
          : skip,
    },
    () => {
      let primary: TestDatabase
      let replica: { schema: string; cleanup: () => Promise<void> }
      let database: Database
      let app: FastifyInstance
      let offset = 0
      const clock = () => new Date(Date.now() + offset)
      const later = () => (offset += READ_YOUR_WRITES_MS + 1000)

      before(async () => {
        primary = await openTestDatabase(dialect)
        await loadDemoContent(primary.database.db, { password: TEST_PASSWORD })
        replica = await copyTestSchema(primary)
        // The "replica" is a copy that differs in a few markers, so a page shows which one it read.
        const marked = await openDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: replica.schema })
        try {
          for (const [statement, ...values] of [
            [
              `update projects set title = $1, visibility = 'public', public_approved_at = $2 where id = 'demo-project-discharge'`,
              REPLICA_TITLE,
              clock().toISOString(),
            ],
            [`update courses set title = $1 where title = 'QSIR Fundamentals'`, REPLICA_COURSE],
            [`update events set title = $1 where id = 'demo-event-process-mapping'`, REPLICA_EVENT],
            [`update users set name = $1 where email = 'ada.aimwell@example.invalid'`, REPLICA_NAME],
          ])
            assert.equal(
              (await marked.db.executeQuery(CompiledQuery.raw(statement, values))).numAffectedRows,
              1n,
            )
        } finally {
          await marked.destroy()
        }
        database = await openDatabase({
          databaseUrl: TEST_DATABASE_URL,
          pgSchema: primary.pgSchema!,
          databaseReadUrl: TEST_DATABASE_URL,
          readPgSchema: replica.schema,
          pgPoolSize: 3,
        })
        ;({ app } = await buildApp({ config: testConfig(), database, clock }))
        await app.ready()
      })
      after(async () => {
        await app?.close()
        await database?.destroy()
        await replica?.cleanup()
        await primary?.cleanup()
      })

      test('visitors read the project list, directory, catalogue and events from the replica', async () => {
        const visitor = new TestBrowser(app)
        const projects = await visitor.get('/projects')
        assert.equal(projects.statusCode, 200)
        assert.ok(projects.body.includes(REPLICA_TITLE), 'the public project exists only on the replica')
        assert.ok((await visitor.get('/learning')).body.includes(REPLICA_COURSE))
        assert.ok((await visitor.get('/events')).body.includes(REPLICA_EVENT))
        assert.deepEqual(cardNames((await visitor.get('/people?q=aimwell')).body), [REPLICA_NAME])
        // A project's own page is not a list: it reads from the primary, where it is not public.
        const page = await visitor.get('/projects/demo-project-discharge')
        assert.notEqual(page.statusCode, 200)
        assert.ok(!page.body.includes(REPLICA_TITLE))
      })

      test('a member who has just written reads from the primary until the window ends', async () => {
        const ada = new TestBrowser(app)
        await ada.signIn('ada.aimwell@example.invalid')
        later()
        // Signed in and idle: the replica.
        let list = await ada.get('/projects')
        assert.ok(list.body.includes(REPLICA_TITLE), 'an idle member reads the replica')
        assert.ok(!list.body.includes(PRIMARY_TITLE))
        assert.deepEqual(cardNames((await ada.get('/people?q=aimwell')).body), [REPLICA_NAME])

        // A profile edit writes to the primary...
        const me = await database.db
          .selectFrom('users')
          .select(['organisation_id', 'version'])
          .where('email', '=', 'ada.aimwell@example.invalid')
          .executeTakeFirstOrThrow()
        const saved = await ada.submit('/profile/edit', '/profile/edit', {
          name: 'Ada Aimwell-Written',
          organisationId: me.organisation_id ?? '',
          jobRole: 'Ward manager',
          bio: '',
          skills: '',
          interests: '',
          qiLevel: 'none',
          inDirectory: 'on',
          share: ['organisation', 'jobRole'],
          version: String(me.version),
        })
        assert.equal(saved.statusCode, 303)
        const written = await database.db
          .selectFrom('users')
          .select('name')
          .where('email', '=', 'ada.aimwell@example.invalid')
          .executeTakeFirstOrThrow()
        assert.equal(written.name, 'Ada Aimwell-Written')

        // ...and within the window her lists read from the primary: she sees what she wrote.
        offset += READ_YOUR_WRITES_MS - 2000
        const directory = await ada.get('/people?q=aimwell')
        assert.deepEqual(
          cardNames(directory.body),
          ['Ada Aimwell-Written'],
          'her edit shows in the directory',
        )
        list = await ada.get('/projects')
        assert.ok(list.body.includes(PRIMARY_TITLE), 'the project list reads the primary')
        assert.ok(!list.body.includes(REPLICA_TITLE))

        // The window is this browser's alone: another visitor, even holding her cookie, reads the replica.
        const other = new TestBrowser(app)
        await other.get('/')
        other.cookies.set('qi_wrote', ada.cookies.get('qi_wrote')!)
        assert.ok((await other.get('/projects')).body.includes(REPLICA_TITLE))

        // After the window: back on the replica (which, being a copy, never saw the edit).
        later()
        list = await ada.get('/projects')
        assert.ok(list.body.includes(REPLICA_TITLE), 'back on the replica after the window')
        assert.deepEqual(cardNames((await ada.get('/people?q=aimwell')).body), [REPLICA_NAME])
      })

      test('a form that is refused writes nothing and leaves the reader on the replica', async () => {
        const ada = new TestBrowser(app)
        await ada.signIn('ada.aimwell@example.invalid')
        later()
        const refused = await ada.submit('/profile/edit', '/profile/edit', { name: '', version: '1' })
        assert.equal(refused.statusCode, 400)
        assert.ok((await ada.get('/projects')).body.includes(REPLICA_TITLE))
      })

      test('closing the database closes both pools', async () => {
        const both = await openDatabase({
          databaseUrl: TEST_DATABASE_URL,
          pgSchema: primary.pgSchema!,
          databaseReadUrl: TEST_DATABASE_URL,
          readPgSchema: replica.schema,
          pgPoolSize: 1,
        })
        assert.notEqual(both.reader, both.db)
        const title = await both.reader
          .selectFrom('projects')
          .select('title')
          .where('id', '=', 'demo-project-discharge')
          .executeTakeFirstOrThrow()
        assert.equal(title.title, REPLICA_TITLE)
        await both.db.selectFrom('settings').select('key').execute()
        await both.destroy()
        await assert.rejects(both.reader.selectFrom('settings').select('key').execute())
        await assert.rejects(both.db.selectFrom('settings').select('key').execute())
      })
    },
  )
}
