#!/usr/bin/env node
// The import rules of docs/architecture.md, checked (`npm test` runs this before the tests).
// Every relative import of every source file under src/ counts, type-only and dynamic ones
// included. A room is a folder of src/ (or a file at its top, such as app.ts). It fails on:
//  1. an import into a higher layer (the LAYERS table below);
//  2. a cycle between rooms, of any length, in the layer of features too;
//  3. a feature importing another room's repository (features use each other's services).
// Tests and their helpers (*.test.ts, test-helpers.ts, fixtures) may import anything.
// `node scripts/check-architecture.mjs --graph` prints the rooms and what each imports.
// Run: `node scripts/check-architecture.mjs` (exit 1 and the list when a rule is broken).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
// `--src DIR` checks another tree (the checker's own test builds small ones).
const srcFlag = process.argv.indexOf('--src')
const src = srcFlag > 0 ? path.resolve(process.argv[srcFlag + 1]) : path.join(root, 'src')

/** Lowest first. A room may import rooms of lower layers, and rooms of its own layer where it says `sideways`. */
export const LAYERS = [
  { name: 'pure', rooms: ['spc', 'core', '(config)'] },
  { name: 'storage and drawing', rooms: ['db', 'charts'] },
  { name: 'shared services', rooms: ['audit', 'mail', 'jobs', 'web'] },
  {
    name: 'features',
    sideways: true,
    rooms: [
      'orgs',
      'community',
      'people',
      'auth',
      'pages',
      'screening',
      'projects',
      'measures',
      'improvement',
      'learning',
      'facilitation',
      'events',
      'api',
      'redaction',
      'showcase',
      'admin',
      'governance',
      'networks',
      'resources',
      'search',
      'coach',
      'partners',
      'mywork',
      'paper',
      'notifications',
      'demo',
    ],
  },
  { name: 'composition', rooms: ['(app)', '(worker)', '(server)', 'cli', 'testing'], sideways: true },
]

/** Rooms that may read other rooms' repositories: loading demo data is like a migration. */
const REPOSITORY_READERS = new Set(['demo', 'cli', '(app)', 'testing'])

const isTestCode = (file) =>
  /(\.test|[-.]test-helpers|test-helpers|[-.]fixtures|^fixtures)\.ts$/.test(path.basename(file))

function sourceFiles(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full))
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full)
  }
  return out
}

function roomOf(file) {
  const rel = path.relative(src, file).split(path.sep)
  return rel.length === 1 ? `(${rel[0].replace(/\.ts$/, '')})` : rel[0]
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

export function readGraph() {
  const edges = new Map() // room -> Map(room -> [file -> target])
  const repositoryImports = []
  for (const file of sourceFiles(src)) {
    if (isTestCode(file)) continue
    const from = roomOf(file)
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]
      const target = path.resolve(path.dirname(file), spec)
      if (!target.startsWith(src + path.sep)) continue
      const to = roomOf(target)
      if (to !== from) {
        if (!edges.has(from)) edges.set(from, new Map())
        const list = edges.get(from).get(to) ?? []
        list.push(`${path.relative(root, file)} → ${spec}`)
        edges.get(from).set(to, list)
        if (/repository(\.[jt]s)?$/.test(spec) && !REPOSITORY_READERS.has(from))
          repositoryImports.push(`${path.relative(root, file)} imports ${spec} (use that room's service)`)
      }
    }
  }
  return { edges, repositoryImports }
}

/** Strongly connected components with more than one room (Tarjan). */
function cycles(edges) {
  let index = 0
  const stack = []
  const on = new Set()
  const idx = new Map()
  const low = new Map()
  const out = []
  const visit = (v) => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)))
    }
    if (low.get(v) === idx.get(v)) {
      const component = []
      let w
      do {
        w = stack.pop()
        on.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) out.push(component.sort())
    }
  }
  for (const v of edges.keys()) if (!idx.has(v)) visit(v)
  return out
}

export function check() {
  const { edges, repositoryImports } = readGraph()
  const layerOf = new Map()
  LAYERS.forEach((layer, i) => layer.rooms.forEach((room) => layerOf.set(room, i)))
  const problems = []
  for (const [from, targets] of edges) {
    if (!layerOf.has(from)) {
      problems.push(`src/${from}: a room not in the LAYERS table of scripts/check-architecture.mjs`)
      continue
    }
    for (const [to, where] of targets) {
      if (!layerOf.has(to)) continue // reported as a room of its own
      const a = layerOf.get(from)
      const b = layerOf.get(to)
      const sideways = a === b && LAYERS[a].sideways
      if (b > a || (a === b && !sideways))
        problems.push(
          `${from} (${LAYERS[a].name}) may not import ${to} (${LAYERS[b].name}): ${where.slice(0, 3).join('; ')}`,
        )
    }
  }
  for (const component of cycles(edges)) {
    const detail = component
      .flatMap((a) =>
        component.filter((b) => edges.get(a)?.has(b)).map((b) => `${a} → ${b} (${edges.get(a).get(b)[0]})`),
      )
      .join('; ')
    problems.push(`a cycle between ${component.join(', ')}: ${detail}`)
  }
  problems.push(...repositoryImports)
  return { edges, problems }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { edges, problems } = check()
  if (process.argv.includes('--graph'))
    for (const [from, targets] of [...edges].sort())
      console.log(`${from} → ${[...targets.keys()].sort().join(', ')}`)
  if (problems.length) {
    console.log(`✖ ${problems.length} import rule(s) broken (docs/architecture.md):`)
    for (const p of problems) console.log(`  - ${p}`)
    process.exit(1)
  }
  console.log(`✔ imports follow docs/architecture.md: ${edges.size} rooms, no upward import, no cycle`)
}
