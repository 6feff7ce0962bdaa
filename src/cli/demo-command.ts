import { loadDemoContent } from '../demo/load.js'
import { performance } from 'node:perf_hooks'
import { openForCli, option } from './open.js'

/** Loads the demo content (idempotent). `--large` (the benchmark set) arrives with the projects feature. */
export async function run(args: string[]): Promise<number> {
  if (args.includes('--large')) {
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

/** `npm run qi -- demo --large [--scale 0.1] [--replace]` */
async function loadLargeDemo(args: string[]): Promise<number> {
  const { deleteLargeSet, generateLargeSet, largeSetExists, planFor } = await import('../demo/large.js')
  const scaleText = option(args, 'scale') ?? '1'
  const scale = Number(scaleText)
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10) {
    process.stderr.write(`--scale must be a number above 0 and at most 10 (got "${scaleText}")\n`)
    return 2
  }
  const { config, database } = await openForCli()
  try {
    // The organisations and demo users the synthetic projects refer to.
    await loadDemoContent(database.db, { password: config.demoPassword })
    if (await largeSetExists(database.db)) {
      if (!args.includes('--replace')) {
        process.stdout.write(
          'The large synthetic set is already loaded (use --replace to generate it again).\n',
        )
        return 0
      }
      const t = performance.now()
      await deleteLargeSet(database.db)
      process.stdout.write(
        `Deleted the previous large set in ${((performance.now() - t) / 1000).toFixed(1)} s.\n`,
      )
    }
    const plan = planFor(scale)
    process.stdout.write(
      `Generating ${plan.projects.toLocaleString('en-GB')} projects, ${(plan.projects * plan.measuresPerProject).toLocaleString('en-GB')} measures and about ${(plan.projects * plan.measuresPerProject * 50).toLocaleString('en-GB')} data points into ${database.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} (${database.location})…\n`,
    )
    let last = 0
    const counts = await generateLargeSet(database, {
      scale,
      sqliteFile: database.dialect === 'sqlite' ? database.location : undefined,
      progress: (done, total) => {
        const pct = Math.floor((done / total) * 10)
        if (pct > last) {
          last = pct
          process.stderr.write(
            `  ${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} projects\n`,
          )
        }
      },
    })
    process.stdout.write(
      `Generated ${counts.projects.toLocaleString('en-GB')} projects, ${counts.measures.toLocaleString('en-GB')} measures and ${counts.points.toLocaleString('en-GB')} data points in ${counts.seconds.toFixed(1)} s (${Math.round(counts.points / counts.seconds).toLocaleString('en-GB')} data points a second).\n`,
    )
    return 0
  } finally {
    await database.destroy()
  }
}
