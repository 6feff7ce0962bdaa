import { ConfigError, loadConfig } from './config.js'
import { openDatabase } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { buildApp } from './app.js'
import { isEmpty, loadDemoContent } from './demo/load.js'
import { startWorker } from './worker.js'
import path from 'node:path'
import { COMMUNITY_NAME } from './web/site.js'

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    databaseReadUrl: config.databaseReadUrl,
    sqliteFile: path.join(config.dataDir, 'qi.sqlite'),
  })
  await migrateToLatest(database)
  if (config.demo && (await isEmpty(database.db))) {
    const added = await loadDemoContent(database.db, { password: config.demoPassword })
    process.stderr.write(`Loaded demo content (${added} records). Demo users sign in with DEMO_PASSWORD.\n`)
  }
  const { app, services } = await buildApp({ config, database })
  const worker = config.worker ? startWorker(services, app.log) : null

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    const timer = setTimeout(() => process.exit(1), 10_000).unref()
    await worker?.stop()
    await app.close()
    await database.destroy()
    clearTimeout(timer)
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  process.stderr.write(
    `${COMMUNITY_NAME} is running at http://${shown}:${port} (database: ${database.dialect} ${database.location})\n`,
  )
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
