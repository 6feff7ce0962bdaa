import path from 'node:path'
import { loadConfig } from '../config.js'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'

/** Config and database for admin commands: the same environment as `npm start`. */
export async function openForCli(options: { migrate?: boolean } = {}) {
  const config = loadConfig(process.env)
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: path.join(config.dataDir, 'qi.sqlite'),
  })
  if (options.migrate !== false) await migrateToLatest(database)
  return { config, database }
}

export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`)
  if (i >= 0) return args[i + 1]
  const eq = args.find((a) => a.startsWith(`--${name}=`))
  return eq?.slice(name.length + 3)
}
