import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openTestDatabase, testDialects } from '../testing/databases.js'
import type { Database } from './database.js'
import { projectRow } from './rows.js'
import { anyOf, idChunks } from './sql.js'

for (const { dialect, skip } of await testDialects()) {
  describe(`lists of ids in one statement on ${dialect}`, { skip }, () => {
    let database: Database
    let cleanup: () => Promise<void>
    const ids = Array.from({ length: 1_234 }, (_, i) => `ids-${i}${i % 97 === 0 ? '\'quoted"' : ''}`)
    before(async () => {
      ;({ database, cleanup } = await openTestDatabase(dialect))
      await database.db
        .insertInto('projects')
        .values(ids.map((id) => projectRow({ id, title: `Project ${id}` })))
        .execute()
    })
    after(() => cleanup?.())

    test('every id is found once, whatever the chunks, and only those asked for', async () => {
      const asked = ids.filter((_, i) => i % 3 === 0).concat(['not-there'])
      const chunks = idChunks(database.db, asked)
      assert.equal(chunks.length, dialect === 'postgres' ? 1 : Math.ceil(asked.length / 500))
      const found: string[] = []
      for (const chunk of chunks) {
        const rows = await database.db
          .selectFrom('projects')
          .select('id')
          .where(anyOf(database.db, 'projects.id', chunk))
          .execute()
        found.push(...rows.map((r) => r.id))
      }
      assert.deepEqual(found.sort(), asked.filter((id) => id !== 'not-there').sort())
      assert.deepEqual(idChunks(database.db, []), [])
    })
  })
}
