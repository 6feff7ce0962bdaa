import { migrateDown, migrateToLatest } from '../db/migrate.js'
import { openForCli } from './open.js'

export async function run(args: string[]): Promise<number> {
  const { database } = await openForCli({ migrate: false })
  try {
    const lines = args[0] === 'down' ? await migrateDown(database) : await migrateToLatest(database)
    process.stdout.write(lines.length ? lines.join('\n') + '\n' : 'The database is up to date.\n')
    return 0
  } finally {
    await database.destroy()
  }
}
