/**
 * `npm run qi -- <command>`: the platform's command line.
 * Each command is imported lazily so that `qi spc` never loads the web server,
 * the database or Nunjucks.
 */
const commands: Record<
  string,
  { summary: string; load: () => Promise<{ run: (args: string[]) => Promise<number> }> }
> = {
  spc: {
    summary: 'SPC engine: JSON request on stdin, JSON result on stdout (--svg for a chart)',
    load: () => import('./spc-command.js'),
  },
  chart: {
    summary: 'SPC chart picture: JSON request on stdin, SVG on stdout (--png for PNG)',
    load: () => import('./chart-command.js'),
  },
  migrate: {
    summary: 'run database migrations (up, or "down" to undo the last)',
    load: () => import('./migrate-command.js'),
  },
  'create-admin': {
    summary:
      'create the first platform admin: --email E --name N (password from QI_ADMIN_PASSWORD or prompt)',
    load: () => import('./create-admin-command.js'),
  },
  backup: {
    summary: 'back up the SQLite database file (or explain pg_dump for PostgreSQL)',
    load: () => import('./backup-command.js'),
  },
  demo: {
    summary: 'load demo content (--large for the large synthetic benchmark set)',
    load: () => import('./demo-command.js'),
  },
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  const command = name ? commands[name] : undefined
  if (!command) {
    const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(14)} ${c.summary}`)
    process.stderr.write(`usage: npm run qi -- <command> [options]\n\ncommands:\n${lines.join('\n')}\n`)
    return name ? 2 : 0
  }
  const mod = await command.load()
  return mod.run(rest)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`qi: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
