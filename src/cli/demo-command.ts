import { loadDemoContent } from '../demo/load.js'
import { openForCli } from './open.js'

/** Loads the demo content (idempotent). `--large` (the benchmark set) arrives with the projects feature. */
export async function run(args: string[]): Promise<number> {
  if (args.includes('--large')) {
    const { loadLargeDemo } = await import('../demo/large.js')
    return loadLargeDemo(args)
  }
  const { config, database } = await openForCli()
  try {
    const added = await loadDemoContent(database.db, { password: config.demoPassword })
    process.stdout.write(
      added ? `Loaded ${added} demo records.\n` : 'Demo content was already loaded: nothing added.\n',
    )
    return 0
  } finally {
    await database.destroy()
  }
}
