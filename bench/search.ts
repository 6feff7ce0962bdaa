/**
 * `npm run bench:search`: the site-wide search (issue 11, Benchmark) on SQLite and PostgreSQL.
 *
 * Seeds (deterministically, all synthetic and flagged demo where the table has the flag) 20,000
 * projects, 50,000 members in the directory and 5,000 published posters, times `--scale` (0.01
 * for a smoke run), then serves the app in this process and drives /search as a signed-in member
 * with autocannon in a child process (`timeRoutes`: the load generator does not share the
 * server's thread), 10 connections: a common word, a rare word and a three-word phrase, each warmed
 * up then timed for `--seconds` (default 8), with the server's CPU per request. Also 1,000 networks (a tenth by request) with 10,000 discussions and
 * 100,000 posts, searched like the rest, and one discussion's page (30 posts) timed the same way.
 * Targets: search p95 under 150 ms; the discussion page p95 under 100 ms.
 *
 *   npm run bench:search -- [--scale 1] [--seconds 8]
 */
import os from 'node:os'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { SessionStore } from '../src/auth/sessions.js'
import { loadConfig } from '../src/config.js'
import { migrateToLatest } from '../src/db/migrate.js'
import {
  networkMemberRow,
  networkPostRow,
  networkRow,
  networkThreadRow,
  projectRow,
  roleGrantRow,
  userRow,
} from '../src/db/rows.js'
import type { DB } from '../src/db/schema.js'
import { loadDemoContent } from '../src/demo/load.js'
import { sessionCookieName } from '../src/web/plugin.js'
import { analyzeAfterLoad, insertBatches, onBothDatabases, random, serve, timeRoutes } from './lib.js'

function arg(name: string, fallback: string): string {
  const args = process.argv.slice(2)
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const SCALE = Number(arg('scale', '1'))
const SECONDS = Number(arg('seconds', process.env.BENCH_SECONDS ?? '8'))
const CONNECTIONS = 10
const TARGET_MS = 150

const COMMON = ['discharge', 'patients', 'ward', 'referral', 'waiting', 'falls', 'handover', 'clinic']
const FILLER = ['improving', 'reducing', 'the', 'time', 'for', 'our', 'service', 'with', 'team', 'daily']
/** Appears in about one project in 2,000. */
const RARE = 'zephyrine'

async function seed(db: Kysely<DB>) {
  const rnd = random(11)
  const pick = <V>(xs: readonly V[]) => xs[Math.floor(rnd() * xs.length)]
  const sentence = (n: number) =>
    Array.from({ length: n }, () => pick(rnd() < 0.3 ? COMMON : FILLER)).join(' ')
  const at = new Date().toISOString()
  const projects = Math.round(20_000 * SCALE)
  await insertBatches(
    db,
    'projects',
    Array.from({ length: projects }, (_, i) =>
      projectRow({
        id: `bench-search-p${i}`,
        title: `${sentence(4)}${i % 2000 === 0 ? ` ${RARE}` : ''}`,
        problem: sentence(30),
        visibility: pick(['private', 'team', 'organisation', 'community', 'community', 'public']),
        public_approved_at: at,
        is_demo: true,
        created_at: at,
      }),
    ),
  )
  const members = Math.round(50_000 * SCALE)
  await insertBatches(
    db,
    'users',
    Array.from({ length: members }, (_, i) =>
      userRow({
        id: `bench-search-u${i}`,
        email: `bench.search.${i}@example.invalid`,
        name: `Member ${i} (DEMO)`,
        job_role: sentence(3),
        share_job_role: true,
        is_demo: true,
        email_verified_at: at,
        created_at: at,
      }),
    ),
  )
  const posters = Math.round(5_000 * SCALE)
  await insertBatches(
    db,
    'showcase_items',
    Array.from({ length: posters }, (_, i) => ({
      id: `bench-search-s${i}`,
      slug: `bench-search-s${i}`,
      title: sentence(5),
      summary: sentence(25),
      status: 'approved',
      visibility: 'public',
      file_status: 'ready',
      consent_confirmed_at: at,
      created_at: at,
    })),
  )
  const networks = Math.round(1_000 * SCALE)
  const threads = networks * 10
  await insertBatches(
    db,
    'networks',
    Array.from({ length: networks }, (_, i) =>
      networkRow({
        id: `bench-search-n${i}`,
        slug: `bench-network-${i}`,
        name: `${sentence(2)} network ${i} (DEMO)`,
        purpose: sentence(15),
        join_policy: i % 10 === 0 ? 'request' : 'open',
        created_at: at,
      }),
    ),
  )
  await insertBatches(
    db,
    'network_members',
    Array.from({ length: networks }, (_, i) =>
      networkMemberRow({ network_id: `bench-search-n${i}`, user_id: 'bench-search-u0', requested_at: at }),
    ).filter((_, i) => i % 3 === 0),
  )
  await insertBatches(
    db,
    'network_threads',
    Array.from({ length: threads }, (_, i) =>
      networkThreadRow({
        id: `bench-search-t${i}`,
        network_id: `bench-search-n${i % networks}`,
        title: `${sentence(6)}${i % 2000 === 0 ? ` ${RARE}` : ''}`,
        created_at: at,
      }),
    ),
  )
  const posts = threads * 10
  await insertBatches(
    db,
    'network_posts',
    Array.from({ length: posts }, (_, i) =>
      networkPostRow({
        id: `bench-search-post${i}`,
        thread_id: `bench-search-t${i % threads}`,
        network_id: `bench-search-n${(i % threads) % networks}`,
        author_id: `bench-search-u${i % Math.max(1, members)}`,
        body: sentence(40),
        is_opening: i < threads,
        created_at: at,
      }),
    ),
  )
  // One discussion of 30 posts, for the page's timing.
  await insertBatches(
    db,
    'network_posts',
    Array.from({ length: 20 }, (_, i) =>
      networkPostRow({
        id: `bench-search-long${i}`,
        thread_id: 'bench-search-t1',
        network_id: 'bench-search-n1',
        author_id: `bench-search-u${i % Math.max(1, members)}`,
        body: sentence(60),
        created_at: at,
      }),
    ),
  )
  await db
    .insertInto('role_grants')
    .values(roleGrantRow({ user_id: 'bench-search-u0', role: 'member', created_at: at }))
    .execute()
  return { projects, members, posters, networks, threads, posts: posts + 20 }
}

const lines = await onBothDatabases('search', async (dialect, database) => {
  await migrateToLatest(database)
  await loadDemoContent(database.db, { password: 'bench-password-not-used' })
  const size = await seed(database.db)
  // PostgreSQL's planner reads a word's frequency in each kind's partition from these.
  await analyzeAfterLoad(database)
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      DATA_DIR: path.join(os.tmpdir(), 'qi-bench-search'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 's'.repeat(48),
      WORKER: '0',
    },
    { persistSecret: false },
  )
  const token = await new SessionStore(database.db, () => new Date()).create(
    database.db,
    'bench-search-u0',
    'password',
    {
      ip: '127.0.0.1',
    },
  )
  const served = await serve(config, database)
  const out = [
    `${dialect}: ${size.projects} projects, ${size.members} members, ${size.posters} posters, ${size.networks} networks, ${size.threads} discussions, ${size.posts} posts; ${CONNECTIONS} connections, ${SECONDS} s each`,
  ]
  try {
    const cookie = `${sessionCookieName(config)}=${token}`
    const slug = 'bench-network-1'
    const routes = [
      { label: 'common word', path: `/search?q=discharge`, cookie },
      { label: 'rare word', path: `/search?q=${RARE}`, cookie },
      {
        label: 'three-word phrase',
        path: `/search?q=${encodeURIComponent('reducing discharge time')}`,
        cookie,
      },
    ]
    const timing = { name: dialect, seconds: SECONDS, warmups: 20, labelWidth: 18 }
    out.push(...(await timeRoutes(served, routes, { ...timing, targetMs: TARGET_MS })))
    out.push(
      ...(await timeRoutes(
        served,
        [{ label: 'discussion page', path: `/networks/${slug}/threads/bench-search-t1`, cookie }],
        { ...timing, targetMs: 100 },
      )),
    )
  } finally {
    await served.close()
  }
  return out
})
console.log(lines.join('\n'))
