import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openTestDatabase, testDialects } from '../testing/databases.js'
import { isSafeRecipient } from './guard.js'
import { MailService } from './service.js'
import { decodeHeader, parseMail, startSmtpSink } from '../testing/smtp-sink.js'

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

for (const { dialect, skip } of await testDialects()) {
  describe(`mail over a real SMTP socket on ${dialect}`, { skip }, () => {
    test('every message is multipart (plain text and NHS-styled HTML), auto-submitted, to the person by name', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      const smtp = await startSmtpSink()
      try {
        const mail = new MailService(database.db, {
          smtpUrl: smtp.url,
          from: 'One Gloucestershire Improvement Community <no-reply@example.invalid>',
          guard: true,
          communityName: 'One Gloucestershire Improvement Community',
          recipientName: async (_trx, email) => (email === 'ada@example.org' ? 'Ada Aimwell' : null),
        })
        const text =
          'Hello Ada,\n\nConfirm your address: http://localhost:3000/verify-email/abc123\n\n<script>alert(1)</script> & "quotes"'
        const looked = await mail.enqueue(database.db, {
          to: 'ada@example.org',
          subject: 'Confirm',
          text,
          kind: 'test',
        })
        const named = [
          ['Aimwell, Ada "The Aim"', 'comma@example.org'],
          ['Łucja Dvořák-Nguyễn', 'lucja@example.org'],
        ]
        for (const [toName, to] of named)
          await mail.enqueue(database.db, { to, toName, subject: 'Zażółć', text: 'Witaj', kind: 'test' })
        const stored = await mail.get(looked.id)
        assert.equal(stored?.toName, 'Ada Aimwell', 'the name is looked up by address and kept')
        assert.equal(stored?.text, text, 'the outbox keeps the plain-text part')
        assert.match(stored?.html ?? '', /background-color:#005eb8/, 'and the HTML part')
        assert.equal(await mail.deliverDue(), 3)

        const ada = parseMail(smtp.messages.find((m) => m.to.includes('ada@example.org'))!.data)
        assert.match(ada.headers, /^Content-Type: multipart\/alternative;/m)
        assert.match(ada.headers, /^Auto-Submitted: auto-generated$/m)
        assert.match(ada.headers, /^To: "?Ada Aimwell"? <ada@example\.org>$/m)
        assert.deepEqual(
          ada.parts.map((p) => p.type.split(';')[0]),
          ['text/plain', 'text/html'],
        )
        const [plain, html] = ada.parts
        assert.equal(plain.body.replace(/\r\n/g, '\n'), text)
        assert.match(html.body, /<table role="presentation"/)
        assert.match(html.body, /font-family:Arial/)
        assert.match(
          html.body,
          /<td style="background-color:#005eb8;[^"]*">One Gloucestershire Improvement Community<\/td>/,
        )
        assert.match(
          html.body,
          /<a href="http:\/\/localhost:3000\/verify-email\/abc123" style="[^"]*">http:\/\/localhost:3000\/verify-email\/abc123<\/a>/,
          'links are real links',
        )
        assert.match(
          html.body,
          /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quotes&quot;/,
          'text is escaped',
        )
        assert.doesNotMatch(html.body, /<script>/)

        const to = (address: string) =>
          decodeHeader(
            /^To: (.*)$/m.exec(
              parseMail(smtp.messages.find((m) => m.to.includes(address))!.data).headers,
            )![1],
          )
        assert.equal(to('comma@example.org'), '"Aimwell, Ada \\"The Aim\\"" <comma@example.org>')
        assert.match(to('lucja@example.org'), /^"?Łucja Dvořák-Nguyễn"? <lucja@example\.org>$/)
        const raw = smtp.messages.find((m) => m.to.includes('lucja@example.org'))!.data
        assert.match(/^To: (.*)$/m.exec(raw)![1], /=\?UTF-8\?/i, 'a non-ASCII name is encoded (RFC 2047)')
      } finally {
        await smtp.close()
        await cleanup()
      }
    })

    test('extra headers (one-click unsubscribe, RFC 8058) are kept in the outbox and sent; unsafe ones are refused', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      const smtp = await startSmtpSink()
      try {
        const mail = new MailService(database.db, {
          smtpUrl: smtp.url,
          from: 'x@example.invalid',
          guard: true,
        })
        const headers = {
          'List-Unsubscribe': '<http://localhost:3000/unsubscribe/abc123>',
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }
        const queued = await mail.enqueue(database.db, {
          to: 'ada@example.org',
          subject: 'Digest',
          text: 'Hello',
          kind: 'test',
          headers,
        })
        assert.deepEqual((await mail.get(queued.id))?.headers, headers)
        await assert.rejects(
          mail.enqueue(database.db, {
            to: 'a@example.org',
            subject: 'x',
            text: 'x',
            kind: 'test',
            headers: { Bcc: 'a\r\nb' },
          }),
          /one line/,
        )
        await assert.rejects(
          mail.enqueue(database.db, {
            to: 'a@example.org',
            subject: 'x',
            text: 'x',
            kind: 'test',
            headers: { 'Auto-Submitted': 'no' },
          }),
          /may not be set/,
        )
        assert.equal(await mail.deliverDue(), 1)
        const sent = parseMail(smtp.messages[0].data).headers
        assert.match(sent, /^List-Unsubscribe: <http:\/\/localhost:3000\/unsubscribe\/abc123>$/m)
        assert.match(sent, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m)
        assert.match(sent, /^Auto-Submitted: auto-generated$/m)
      } finally {
        await smtp.close()
        await cleanup()
      }
    })
  })
}
