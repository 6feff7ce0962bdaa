/**
 * `npm run bench:showcase`: the showcase with 20,000 projects and 5,000 posters, on SQLite (a
 * file) and PostgreSQL (a fresh schema, dropped afterwards): the filtered gallery and its search,
 * a poster's page, the archive of finished projects (searched) and a project page with its
 * "similar projects", each driven by autocannon in a child process at 10 connections for
 * BENCH_SECONDS (default 8) after a warm-up. p50/p95/p99 come from every response's time (a
 * non-200 answer counts as infinitely slow); CPU ms/req is the server's own CPU per request.
 * Then one 20 MB image (random pixels, so it does not compress) goes through the background
 * job's re-encoding, timed, with the child process's peak memory.
 * BENCH_SCALE (default 1) scales both counts. Targets: p95 under 100 ms per page; the 20 MB image's thumbnail in under 2 s and 300 MB.
 */
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import type { Kysely } from 'kysely'
import type { Database } from '../src/db/database.js'
import type { DB } from '../src/db/schema.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { projectRow, showcaseItemRow } from '../src/db/rows.js'
import { loadDemoContent } from '../src/demo/load.js'
import { renderImage } from '../src/showcase/processing.js'
import { makePng } from '../src/showcase/fixtures.js'
import { testConfig, TEST_PASSWORD } from '../src/testing/app.js'
import {
  analyzeAfterLoad,
  cookieOf,
  insertBatches,
  onBothDatabases,
  random,
  serve,
  timeRoutes,
} from './lib.js'

const DURATION = Number(process.env.BENCH_SECONDS ?? 8)
/** BENCH_SCALE=0.05 for a quick try; the figures in notes are at 1. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1)
const PROJECTS = Math.round(20_000 * SCALE)
const POSTERS = Math.round(5_000 * SCALE)
const ORGS = ['org-icb', 'org-ghft', 'org-ghc', 'org-primary-care', 'org-lmns']
const PROGRAMMES = ['prog-virtual-ward', null, null]
const AIMS = ['E1', 'E2', 'E3', 'L1', 'L2', 'F1', 'F2']
const WORDS = (
  'discharge ward noon falls home physiotherapy referrals inbox huddle pharmacy medicines ' +
  'transport lounge diabetes frailty sepsis pressure ulcers mental health crisis waiting list ' +
  'outpatients theatre cancellations antenatal maternity smoking cessation vaccination uptake ' +
  'dementia carers wheelchair handover escalation nutrition hydration deterioration bloods'
).split(' ')
const STATUSES = ['active', 'active', 'active', 'completed', 'sustaining', 'abandoned', 'submitted']

/** 20,000 projects (a third open to the community, some public) and 5,000 approved posters. */
async function seed(db: Kysely<DB>): Promise<{ posterId: string; projectId: string }> {
  await loadDemoContent(db, { password: TEST_PASSWORD })
  const rand = random(42)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ')
  const at = new Date().toISOString()
  const projects = Array.from({ length: PROJECTS }, (_, i) => {
    const title = `${words(3)} project ${i} (BENCH)`
    const problem = `${words(12)}.`
    const visibility = i % 3 === 0 ? 'community' : i % 7 === 0 ? 'public' : i % 2 ? 'organisation' : 'team'
    return projectRow({
      id: `bench-p-${i}`,
      title,
      problem,
      status: pick(STATUSES),
      visibility,
      public_approved_at: visibility === 'public' ? at : null,
      programme_id: pick(PROGRAMMES),
      lessons: i % 4 === 0 ? `${words(10)}.` : '',
      status_changed_at: at,
      search_text: `${title} ${problem}`.toLowerCase(),
    })
  })
  await insertBatches(db, 'projects', projects)
  await insertBatches(
    db,
    'project_organisations',
    projects.map((p, i) => ({ project_id: p.id, organisation_id: ORGS[i % ORGS.length] })),
  )
  await insertBatches(
    db,
    'project_aim_codes',
    projects.map((p, i) => ({ project_id: p.id, aim_code: AIMS[i % AIMS.length] })),
  )
  const posters = Array.from({ length: POSTERS }, (_, i) => {
    const title = `${words(4)} poster ${i} (BENCH)`
    return showcaseItemRow({
      id: `bench-s-${i}`,
      slug: `bench-poster-${i}`,
      title,
      summary: `${words(20)}.`,
      status: 'approved',
      visibility: i % 5 === 0 ? 'community' : 'public',
      programme_id: pick(PROGRAMMES),
      year: 2022 + (i % 5),
      file_status: 'ready',
      nobody_identifiable: true,
      consent_confirmed_at: at,
      decided_at: at,
      project_id: i % 2 ? `bench-p-${i * 3}` : null,
    })
  })
  await insertBatches(db, 'showcase_items', posters)
  await insertBatches(
    db,
    'showcase_item_organisations',
    posters.map((p, i) => ({ item_id: p.id, organisation_id: ORGS[i % ORGS.length] })),
  )
  await insertBatches(
    db,
    'showcase_item_aim_codes',
    posters.map((p, i) => ({ item_id: p.id, aim_code: AIMS[i % AIMS.length] })),
  )
  return { posterId: 'bench-s-11', projectId: 'bench-p-3' }
}

async function run(name: string, database: Database): Promise<string[]> {
  const t0 = Date.now()
  await migrateToLatest(database)
  const { posterId, projectId } = await seed(database.db)
  await analyzeAfterLoad(database)
  const seeded = ((Date.now() - t0) / 1000).toFixed(1)
  const { app, url: address, close } = await serve(testConfig({ BASE_URL: 'http://127.0.0.1' }), database)
  const leo = await cookieOf(app, 'leo.learner@example.invalid')
  const routes = [
    { label: 'gallery', path: '/showcase?programme=prog-virtual-ward&aim=E3&q=discharge', cookie: '' },
    { label: 'poster', path: `/showcase/posters/${posterId}`, cookie: '' },
    { label: 'archive', path: '/showcase/archive?q=ward', cookie: leo },
    { label: 'similar', path: `/projects/${projectId}`, cookie: leo },
  ]
  let lines: string[]
  try {
    lines = await timeRoutes({ app, url: address }, routes, {
      name,
      seconds: DURATION,
      warmups: 100,
      labelWidth: 8,
    })
  } finally {
    await close()
  }
  return [
    `${name}: seeded ${PROJECTS.toLocaleString('en-GB')} projects and ${POSTERS.toLocaleString('en-GB')} posters in ${seeded} s`,
    ...lines,
  ]
}

/** The background job's image work on a 20 MB picture: time to its thumbnail, the child's peak memory. */
async function bigImage(): Promise<string> {
  const side = 2600 // 2,600² pixels × 3 bytes of random colour ≈ 20 MB that does not compress
  const png = makePng(side, side, { noise: true })
  const t0 = performance.now()
  const out = await renderImage(png, 'image/png', side, side)
  const ms = performance.now() - t0
  const mb = out.maxRssKb / 1024
  const ok = ms < 2000 && mb < 300 ? 'ok' : 'OVER TARGET'
  return `image    ${(png.length / 1024 / 1024).toFixed(1)} MB PNG ${side}×${side}: all renditions in ${ms.toFixed(0)} ms (thumbnail ${out.thumbnailMs.toFixed(0)} ms), child peak ${mb.toFixed(0)} MB  ${ok}`
}

export async function main() {
  const out = await onBothDatabases('showcase', run)
  out.push(await bigImage())
  process.stdout.write(
    `\nShowcase benchmark (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs): ${DURATION} s per page, 10 connections, target p95 < 100 ms\n${out.join('\n')}\n`,
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
