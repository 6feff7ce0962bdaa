import path from 'node:path'
import { mkdirSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import { loadConfig } from '../config.js'
import { redactUrl } from '../db/database.js'
import { option } from './open.js'

/** Online backup of the SQLite file (safe while the app runs); for PostgreSQL, says how to use pg_dump. */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig(process.env)
  if (config.databaseUrl) {
    process.stdout.write(
      `This instance uses PostgreSQL (${redactUrl(config.databaseUrl)}). Back it up with pg_dump, for example:\n\n  pg_dump --format=custom --file=qi-$(date +%Y%m%d).dump "$DATABASE_URL"\n\nand restore with pg_restore --clean --dbname "$DATABASE_URL" qi-YYYYMMDD.dump\n`,
    )
    return 0
  }
  const source = path.join(config.dataDir, 'qi.sqlite')
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const target = path.resolve(
    option(args, 'to') ?? path.join(config.dataDir, 'backups', `qi-${stamp}.sqlite`),
  )
  mkdirSync(path.dirname(target), { recursive: true })
  const db = new SQLite(source, { fileMustExist: true, readonly: true })
  try {
    await db.backup(target)
  } finally {
    db.close()
  }
  process.stdout.write(`Backed up ${source} to ${target}\n`)
  return 0
}
