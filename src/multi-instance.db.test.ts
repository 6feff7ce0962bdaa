import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildApp, type Services } from './app.js'
import { LIMITS } from './auth/service.js'
import { openDatabase, type Database, type Dialect } from './db/database.js'
import { loadDemoContent } from './demo/load.js'
import { h1, testConfig, TestBrowser, TEST_PASSWORD } from './testing/app.js'
import { openTestDatabase, testDialects, TEST_DATABASE_URL, type TestDatabase } from './testing/databases.js'
import { readable, startSmtpSink, type SmtpSink } from './testing/smtp-sink.js'

let counter = 0
const freshEmail = (label: string) => `${label}.${Date.now()}.${counter++}@example.org`

function joinForm(email: string) {
  return {
    name: 'Nia Newcomer',
    email,
    password: 'a-long-enough-passphrase',
    affiliation: 'organisation',
    organisationId: 'org-ghc',
    jobRole: 'Nurse',
    interests: 'frailty',
    privacy: 'on',
  }
}

async function outboxFor(services: Services, to: string) {
  return (await services.mail.list({ to, pageSize: 50 })).items
}

for (const { dialect, skip } of await testDialects()) {
  describe(`mail over SMTP on ${dialect}`, { skip }, () => {
    let smtp: SmtpSink
    let db: TestDatabase
    let app: FastifyInstance
    let services: Services

    before(async () => {
      smtp = await startSmtpSink()
      db = await openTestDatabase(dialect)
      await loadDemoContent(db.database.db, { password: TEST_PASSWORD })
      ;({ app, services } = await buildApp({
        config: testConfig({ SMTP_URL: smtp.url }),
        database: db.database,
      }))
      await app.ready()
    })
    after(async () => {
      await app?.close()
      await db?.cleanup()
      await smtp?.close()
    })

    test('a test build never hands mail for nhs.net or ghc.nhs.uk to SMTP', async () => {
      const before = smtp.messages.length
      const browser = new TestBrowser(app, '10.1.0.1')
      for (const email of [`someone.${counter++}@nhs.net`, `x.${counter++}@ghc.nhs.uk`]) {
        const joined = await browser.submit('/join', '/join', joinForm(email))
        assert.equal(joined.statusCode, 303, 'joining looks the same to the person joining')
        const [mail] = await outboxFor(services, email)
        assert.equal(mail?.kind, 'verify_email')
        assert.equal(mail.status, 'refused')
        assert.match(mail.lastError ?? '', /^Refused/)
      }
      // A pending row for a real domain (written by an older build, or by hand) is refused at delivery too.
      const slipped = await services.mail.enqueue(db.database.db, {
        to: 'x@example.org',
        subject: 's',
        text: 't',
        kind: 'test',
      })
      await db.database.db
        .updateTable('mail_outbox')
        .set({ to_address: 'qi.team@nhs.net' })
        .where('id', '=', slipped.id)
        .execute()
      assert.equal(await services.mail.deliverDue(), 1, 'the slipped message is claimed once')
      const refused = await services.mail.get(slipped.id)
      assert.equal(refused?.status, 'refused')
      assert.equal(refused?.sentAt, null)
      assert.equal(await services.mail.deliverDue(), 0, 'and never retried')
      assert.equal(smtp.messages.length, before, 'the SMTP server received nothing')
    })

    test('a verification mail queued by joining is delivered over SMTP once', async () => {
      const email = freshEmail('single')
      const browser = new TestBrowser(app, '10.1.0.2')
      assert.equal((await browser.submit('/join', '/join', joinForm(email))).statusCode, 303)
      const [queued] = await outboxFor(services, email)
      assert.equal(queued?.status, 'pending')
      assert.equal(await services.mail.deliverDue(), 1)
      assert.equal(await services.mail.deliverDue(), 0)
      const received = smtp.messages.filter((m) => m.to.includes(email))
      assert.equal(received.length, 1)
      const text = readable(received[0])
      assert.match(
        text,
        /^Subject: Confirm your e-mail address for the One Gloucestershire Improvement Community$/m,
      )
      const link = /http:\/\/localhost:3000(\/verify-email\/\S+)/.exec(text)?.[1]
      assert.ok(link, 'the mail holds the verification link')
      const verified = await browser.get(link)
      assert.equal(
        h1(verified.body),
        'Your e-mail address is confirmed',
        'the link that went over SMTP works',
      )
      const [sent] = await outboxFor(services, email)
      assert.equal(sent?.status, 'sent')
      assert.equal(sent.attempts, 1)
      assert.ok(sent.sentAt)
    })
  })

  describe(
    `two app instances sharing one database on ${dialect}`,
    { skip: skipTwoInstances(dialect, skip) },
    () => {
      let smtp: SmtpSink
      let dbA: TestDatabase
      let databaseB: Database
      let a: { app: FastifyInstance; services: Services }
      let b: { app: FastifyInstance; services: Services }

      before(async () => {
        smtp = await startSmtpSink()
        dbA = await openTestDatabase(dialect)
        await loadDemoContent(dbA.database.db, { password: TEST_PASSWORD })
        // Instance B has its own pool on the same schema, as a second process would.
        databaseB = await openDatabase({
          databaseUrl: TEST_DATABASE_URL,
          pgSchema: dbA.pgSchema!,
          pgPoolSize: 5,
        })
        // Same SESSION_SECRET (testConfig's), as instances behind one load balancer share it.
        a = await buildApp({ config: testConfig({ SMTP_URL: smtp.url }), database: dbA.database })
        b = await buildApp({ config: testConfig({ SMTP_URL: smtp.url }), database: databaseB })
        await Promise.all([a.app.ready(), b.app.ready()])
      })
      after(async () => {
        await a?.app.close()
        await b?.app.close()
        await databaseB?.destroy()
        await dbA?.cleanup()
        await smtp?.close()
      })

      /** A browser on instance B holding the cookies (and CSRF token) the browser got from A. */
      function sameBrowserOn(app: FastifyInstance, from: TestBrowser, ip = from.ip) {
        const other = new TestBrowser(app, ip)
        for (const [name, value] of from.cookies) other.cookies.set(name, value)
        other.csrf = from.csrf
        return other
      }

      test('a session started on A works on B, forms signed on A post on B, and signing out on A ends it on B', async () => {
        const onA = new TestBrowser(a.app, '10.2.0.1')
        await onA.signIn('ben.baseline@example.invalid')
        assert.ok(onA.cookies.get('qi_session'))

        const profileOnB = await sameBrowserOn(b.app, onA).get('/profile')
        assert.equal(profileOnB.statusCode, 200)
        assert.equal(h1(profileOnB.body), 'Your profile')
        assert.match(profileOnB.body, /Ben Baseline \(DEMO\)/)

        // The CSRF token comes from A's edit page; the form is posted to B.
        const edit = await onA.get('/profile/edit')
        assert.equal(edit.statusCode, 200)
        const version = /name="version" value="(\d+)"/.exec(edit.body)?.[1]
        assert.ok(version)
        const form = {
          name: 'Ben Baseline (DEMO)',
          organisationId: 'org-ghc',
          jobRole: 'Community physiotherapist and measurement lead',
          bio: 'Looks after the measures.',
          skills: 'measurement, run charts',
          interests: '',
          qiLevel: 'awareness',
          inDirectory: 'on',
          share: ['organisation', 'jobRole', 'skills'],
          version,
        }
        const onB = sameBrowserOn(b.app, onA)
        const forged = await onB.post('/profile/edit', { ...form, _csrf: 'a-token-from-somewhere-else' })
        assert.equal(forged.statusCode, 403, 'a wrong token is still refused on B')
        const saved = await onB.post('/profile/edit', form)
        assert.equal(
          saved.statusCode,
          303,
          `B accepts A's token (got ${saved.statusCode}: ${h1(saved.body)})`,
        )
        assert.equal(saved.headers.location, '/profile')
        const seenOnA = await onA.get('/profile')
        assert.match(
          seenOnA.body,
          /Community physiotherapist and measurement lead/,
          'A sees the change made through B',
        )

        const stale = sameBrowserOn(b.app, onA)
        const out = await onA.post('/sign-out', {})
        assert.equal(out.statusCode, 303)
        const afterOut = await stale.get('/profile')
        assert.equal(afterOut.statusCode, 303, 'the session revoked on A no longer works on B')
        assert.match(afterOut.headers.location as string, /^\/sign-in/)
      })

      test('failed sign-ins counted on A make B refuse that account with 429', async () => {
        const email = 'leo.learner@example.invalid'
        const onA = new TestBrowser(a.app, '10.3.0.1')
        for (let i = 0; i < LIMITS.signInPerAccount.max; i++) {
          const res = await onA.submit('/sign-in', '/sign-in', { email, password: `wrong-password-${i}` })
          assert.equal(res.statusCode, 400, `failure ${i + 1} on A is an ordinary wrong password`)
        }
        // Another network, another instance, the right password: the account is still locked.
        const onB = new TestBrowser(b.app, '10.3.0.2')
        const refused = await onB.submit('/sign-in', '/sign-in', { email, password: TEST_PASSWORD })
        assert.equal(refused.statusCode, 429)
        assert.equal(h1(refused.body), 'Too many attempts')
        assert.ok(Number(refused.headers['retry-after']) > 0)
        // Another account on B is not affected.
        const other = await onB.submit('/sign-in', '/sign-in', {
          email: 'ada.aimwell@example.invalid',
          password: TEST_PASSWORD,
        })
        assert.equal(other.statusCode, 303)
      })

      test('mail queued through A is delivered exactly once when both instances deliver at the same time', async () => {
        const joiner = freshEmail('race')
        const browser = new TestBrowser(a.app, '10.4.0.1')
        assert.equal((await browser.submit('/join', '/join', joinForm(joiner))).statusCode, 303)
        const [queued] = await outboxFor(a.services, joiner)
        assert.equal(queued?.status, 'pending')
        // More mail in the queue makes the race longer than one message.
        const others = Array.from({ length: 24 }, (_, i) => freshEmail(`batch${i}`))
        for (const to of others)
          await a.services.mail.enqueue(dbA.database.db, {
            to,
            subject: 'Batch',
            text: 'Hello',
            kind: 'test',
          })
        const before = smtp.messages.length

        const counts = await Promise.all([
          a.services.mail.deliverDue(),
          b.services.mail.deliverDue(),
          a.services.mail.deliverDue(),
          b.services.mail.deliverDue(),
        ])
        assert.equal(
          counts.reduce((x, y) => x + y, 0),
          1 + others.length,
          `each message claimed once (${counts.join(' + ')})`,
        )
        assert.ok(
          counts[1] + counts[3] > 0 && counts[0] + counts[2] > 0,
          `both instances delivered some (${counts.join(', ')})`,
        )

        const received = smtp.messages.slice(before)
        assert.equal(
          received.filter((m) => m.to.includes(joiner)).length,
          1,
          'the verification mail arrived exactly once',
        )
        assert.match(
          readable(received.find((m) => m.to.includes(joiner))!),
          /^Subject: Confirm your e-mail address/m,
        )
        for (const to of others)
          assert.equal(received.filter((m) => m.to.includes(to)).length, 1, `${to} once`)
        assert.equal(received.length, 1 + others.length)
        const [sent] = await outboxFor(b.services, joiner)
        assert.equal(sent?.status, 'sent', 'B reads the status A or B wrote')
        assert.equal(sent.attempts, 1)
        assert.equal(await b.services.mail.deliverDue(), 0)
      })
    },
  )
}

function skipTwoInstances(dialect: Dialect, skip: string | false): string | false {
  if (skip) return skip
  return dialect === 'sqlite'
    ? 'two instances need a shared database server: each in-memory SQLite database lives in one process'
    : false
}
