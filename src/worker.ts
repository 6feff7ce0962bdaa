import type { FastifyBaseLogger } from 'fastify'
import type { Services } from './app.js'
import { ONCE_TTL_MS } from './web/once.js'

/**
 * Background work each instance runs: due jobs and due mail (each claimed safely across
 * instances), and pruning expired sessions, rate-limit windows and finished jobs.
 */
export function startWorker(services: Services, log: FastifyBaseLogger, intervalMs = 5_000) {
  let running = false
  let stopped = false
  let ticks = 0
  const tick = async () => {
    if (running || stopped) return
    running = true
    // Learning: queue session reminders (about once a minute); a failure here never blocks mail.
    if (ticks % 12 === 0) {
      try {
        await services.learning.sendDueReminders(new Date())
      } catch (error) {
        log.error({ err: error }, 'learning reminders failed')
      }
    }
    // Governance: queue this week's digest (one live job per week, whichever instance asks).
    if (ticks % 60 === 0) {
      try {
        await services.governance.digest.schedule(new Date())
      } catch (error) {
        log.error({ err: error }, 'scheduling the weekly digest failed')
      }
    }
    try {
      await services.jobs.runDue()
    } catch (error) {
      log.error({ err: error }, 'background jobs failed')
    }
    try {
      await services.mail.deliverDue()
      if (ticks++ % 60 === 0) {
        await services.sessions.prune()
        await services.limiter.prune(new Date(Date.now() - 24 * 3600_000))
        await services.formSubmissions.prune(new Date(Date.now() - ONCE_TTL_MS))
        await services.jobs.prune(new Date(Date.now() - 7 * 24 * 3600_000))
      }
    } catch (error) {
      log.error({ err: error }, 'background work failed')
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), intervalMs)
  timer.unref()
  void tick()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      while (running) await new Promise((r) => setTimeout(r, 50))
    },
  }
}
