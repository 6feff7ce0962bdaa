import { test } from 'node:test'
import assert from 'node:assert/strict'
import { projectRow } from '../db/rows.js'
import { startTestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

// The project list's text search finds a common word by walking the projects newest first (on
// SQLite, past 500 matches in the trigram index) and a rare one from the index: both give
// exactly the visible matches, newest first, with the count capped at 200.
for (const { dialect, skip } of await testDialects()) {
  test(
    `a text search gives the same visible matches, newest first, whether the word is common or rare, on ${dialect}`,
    { skip },
    async () => {
      const t = await startTestApp(dialect, { demo: false })
      try {
        const db = t.db.database.db
        const statuses = ['active', 'completed', 'abandoned', 'draft']
        const visibilities = ['public', 'community', 'team', 'private']
        const rows = Array.from({ length: 700 }, (_, i) => {
          const title = `${i % 7 === 0 ? 'Rare okapi' : 'Common'} wombat ${i}`
          return projectRow({
            id: `ls-${String(i).padStart(4, '0')}`,
            title,
            status: statuses[i % 4],
            visibility: visibilities[Math.floor(i / 4) % 4],
            public_approved_at: '2026-01-01T00:00:00.000Z',
            last_activity_at: new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % 700) * 60_000).toISOString(),
            search_text: title.toLowerCase(),
          })
        })
        for (let i = 0; i < rows.length; i += 100)
          await db
            .insertInto('projects')
            .values(rows.slice(i, i + 100))
            .execute()
        const expected = (word: string, only: string[]) =>
          rows
            .filter(
              (r) =>
                (r.search_text ?? '').includes(word) && r.visibility === 'public' && only.includes(r.status),
            )
            .sort((a, b) => b.last_activity_at.localeCompare(a.last_activity_at) || a.id.localeCompare(b.id))
            .map((r) => r.id)
        for (const [word, only] of [
          ['wombat', ['completed', 'abandoned']],
          ['okapi', ['completed', 'abandoned']],
          ['wombat', ['active']],
        ] as const) {
          const all: string[] = []
          let total = 0
          for (let page = 1; page <= 10; page++) {
            const list = await t.services.projects.projects.list(null, {
              q: word,
              statuses: [...only],
              page,
              pageSize: 20,
            })
            all.push(...list.items.map((p) => p.id))
            total = list.total
            if (list.items.length < 20) break
          }
          const want = expected(word, [...only])
          assert.deepEqual(all, want, `${word} ${only.join(',')}`)
          assert.equal(total, Math.min(want.length, 200))
        }
      } finally {
        await t.close()
      }
    },
  )
}
