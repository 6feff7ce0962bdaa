import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openTestDatabase, testDialects } from '../testing/databases.js'
import { isSafeRecipient } from './guard.js'
import { MailService } from './service.js'

test('only the reserved example domains and localhost are safe recipients', () => {
  for (const ok of [
    'a@example.invalid',
    'b@example.org',
    'c@example.com',
    'd@localhost',
    'e@mail.example.org',
  ])
    assert.equal(isSafeRecipient(ok), true, ok)
  for (const real of [
    'glicb.improvement-community@nhs.net',
    'QI@ghc.nhs.uk',
    'x@gmail.com',
    'x@example.org.evil.com',
    'x@notexample.com',
  ])
    assert.equal(isSafeRecipient(real), false, real)
})

for (const { dialect, skip } of await testDialects()) {
  describe(`mail outbox on ${dialect}`, { skip }, () => {
    test('a demo or test build refuses real nhs.net and ghc.nhs.uk recipients and keeps the rest in the outbox', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const mail = new MailService(database.db, { smtpUrl: null, from: 'x@example.invalid', guard: true })
        const real1 = await mail.enqueue(database.db, {
          to: 'glicb.improvement-community@nhs.net',
          subject: 's',
          text: 't',
          kind: 'test',
        })
        const real2 = await mail.enqueue(database.db, {
          to: 'QI@ghc.nhs.uk',
          subject: 's',
          text: 't',
          kind: 'test',
        })
        const safe = await mail.enqueue(database.db, {
          to: 'someone@example.invalid',
          subject: 's',
          text: 't',
          kind: 'test',
        })
        assert.equal(real1.status, 'refused')
        assert.equal(real2.status, 'refused')
        assert.equal(safe.status, 'local')
        assert.equal(await mail.deliverDue(), 0, 'nothing is sent without SMTP')
        const { items, total } = await mail.list()
        assert.equal(total, 3)
        assert.match(items.find((i) => i.to === 'QI@ghc.nhs.uk')!.lastError ?? '', /Refused/)
      } finally {
        await cleanup()
      }
    })

    test('with SMTP, pending mail is delivered once and failures are retried later', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const sent: string[] = []
        let fail = true
        const transport = {
          sendMail: async (m: { to: string }) => {
            if (fail) throw new Error('connection refused')
            sent.push(m.to)
            return {}
          },
        }
        let now = new Date('2026-01-01T10:00:00Z')
        const mail = new MailService(
          database.db,
          { smtpUrl: 'smtp://127.0.0.1:1', from: 'x@example.invalid', guard: true, clock: () => now },
          transport as never,
        )
        const queued = await mail.enqueue(database.db, {
          to: 'a@example.org',
          subject: 's',
          text: 't',
          kind: 'test',
        })
        assert.equal(queued.status, 'pending')
        assert.equal(await mail.deliverDue(), 1)
        let item = await mail.get(queued.id)
        assert.equal(item?.status, 'pending')
        assert.equal(item?.attempts, 1)
        assert.match(item?.lastError ?? '', /connection refused/)
        assert.equal(await mail.deliverDue(), 0, 'not retried before its back-off')
        fail = false
        now = new Date('2026-01-01T10:05:00Z')
        assert.equal(await mail.deliverDue(), 1)
        item = await mail.get(queued.id)
        assert.equal(item?.status, 'sent')
        assert.deepEqual(sent, ['a@example.org'])
        assert.equal(await mail.deliverDue(), 0)
      } finally {
        await cleanup()
      }
    })
  })
}
