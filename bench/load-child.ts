/**
 * The load generator's own process (bench/lib.ts `loadInChild`): autocannon against one address
 * for BENCH_SECONDS with the cookie in BENCH_COOKIE, printing `loadTimes`' figures as JSON, so the
 * generator (which parses every response) never shares the server's JavaScript thread.
 */
import { loadTimes } from './lib.js'

const [url] = process.argv.slice(2)
const cookie = process.env.BENCH_COOKIE ?? ''
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
process.stdout.write(JSON.stringify(await loadTimes(url, cookie ? { cookie } : {}, seconds)))
