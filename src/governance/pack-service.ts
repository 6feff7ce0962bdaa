import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { NotFoundError } from '../core/errors.js'
import { newId } from '../core/ids.js'
import { londonToday } from '../core/dates.js'
import { chartSignals, renderSpcChartSvg } from '../charts/index.js'
import { LeaseLost, type Job, type JobContext, type JobQueue } from '../jobs/queue.js'
import { loadCurrentUser } from '../people/accounts.js'
import type { ProjectService } from '../projects/service.js'
import { STATUS_LABELS } from '../projects/lifecycle.js'
import type { MeasureService } from '../measures/service.js'
import { measureAxisLabel } from '../measures/chart.js'
import { COMMUNITY_NAME } from '../web/site.js'
import type { BoardRow, BoardService } from './board-service.js'
import type { PortfolioService } from './portfolio-service.js'
import type { CapabilityService } from './capability-service.js'
import { MAX_CHART_SLIDES, type PackChart, type PackContent, type PackRow } from './pack-content.js'
import { packPdf, packPptx } from './pack-files.js'
import * as packs from './pack-repository.js'

export const BOARD_PACK_JOB = 'governance.board_pack'

const DAY = 86_400_000

/**
 * Any verified member of the community, and no one in particular: what the pack may show of a
 * project's own words (annotations), as the pack is shared across the Board.
 */
const ANY_MEMBER: CurrentUser = {
  id: '00000000-0000-4000-8000-000000000000',
  name: '',
  email: '',
  organisationId: null,
  isPartner: false,
  emailVerified: true,
  orgVerified: false,
  roles: [{ id: 'board-pack', role: 'member', scopeType: 'platform', scopeId: '' }],
  sessionId: 'board-pack',
}

/** What the pack needs of the showcase: its published posters (optional, as the showcase may be absent). */
export interface PublishedPosters {
  listPublicPosters(limit?: number): Promise<{ title: string; approvedAt: string | null }[]>
}

/**
 * Board packs (issue 12 point 5). One click asks for a pack: a row and a background job written
 * in one transaction, at most one pack queued or running at a time (a second request, even at
 * the same moment, is given the first). The job reads every figure once (its "data as at"),
 * draws the PowerPoint file and the PDF from that snapshot and stores them with it through the
 * queue's fenced commit, so a worker that dies half-way leaves the job to be retried and the pack
 * is stored once. Requests and downloads are audited.
 */
export class BoardPackService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly deps: {
      board: BoardService
      portfolio: PortfolioService
      capability: CapabilityService
      projects: ProjectService
      measures: MeasureService
      jobs: JobQueue
      posters?: PublishedPosters
    },
  ) {}

  registerJobs(jobs: JobQueue): void {
    jobs.handle<{ packId: string }>(BOARD_PACK_JOB, (job, ctx) => this.make(job, ctx))
  }

  /** Asks for a pack of the measures flagged now; returns it and whether it is a new one. */
  async request(user: CurrentUser, ip?: string): Promise<{ id: string; created: boolean }> {
    this.deps.board.requireReader(user)
    const flagged = await this.deps.board.flaggedIds()
    const at = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const live = await packs.findLivePack(trx)
      if (live) return { id: live.id, created: false }
      const id = await packs.insertLivePack(trx, {
        id: newId(),
        requestedBy: user.id,
        at,
        measureIds: flagged.map((f) => f.measureId),
      })
      if (!id) {
        const winner = await packs.findLivePack(trx)
        if (!winner) throw new Error('board pack: neither inserted nor found')
        return { id: winner.id, created: false }
      }
      const jobId = await this.deps.jobs.enqueue(BOARD_PACK_JOB, { packId: id }, { key: id }, trx)
      await packs.setJob(trx, id, jobId)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'governance.board_pack_requested',
        entityType: 'board_pack',
        entityId: id,
        ip,
        after: { measures: flagged.length },
      })
      return { id, created: true }
    })
  }

  async list(user: CurrentUser) {
    this.deps.board.requireReader(user)
    return packs.listPacks(this.db, 50)
  }

  async get(user: CurrentUser, id: string) {
    this.deps.board.requireReader(user)
    const pack = await packs.findPack(this.db, id)
    if (!pack) throw new NotFoundError('There is no board pack with that address')
    return pack
  }

  /** What a finished pack says, for its print page. */
  async content(user: CurrentUser, id: string): Promise<PackContent> {
    const pack = await this.get(user, id)
    const json = pack.status === 'done' ? await packs.packContent(this.db, id) : null
    if (!json) throw new NotFoundError('That board pack is not ready yet')
    return JSON.parse(json) as PackContent
  }

  /** A finished pack's file, its download audited. */
  async download(user: CurrentUser, id: string, kind: 'pptx' | 'pdf', ip?: string) {
    const pack = await this.get(user, id)
    const body = pack.status === 'done' ? await packs.packFile(this.db, id, kind) : null
    if (!body || !pack.dataAsAt) throw new NotFoundError('That board pack is not ready yet')
    await writeAudit(this.db, this.clock().toISOString(), {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action: 'governance.board_pack_downloaded',
      entityType: 'board_pack',
      entityId: id,
      ip,
      after: { format: kind },
    })
    return { filename: `board-pack-${londonToday(new Date(pack.dataAsAt))}.${kind}`, body }
  }

  /** The job: read, draw, store (fenced by the lease). Safe to run again from the start. */
  private async make(job: Job<{ packId: string }>, ctx: JobContext): Promise<void> {
    const id = job.payload.packId
    const pack = await packs.findPack(this.db, id)
    if (!pack || pack.status === 'done' || pack.status === 'failed') return
    try {
      await packs.setProgress(this.db, id, 1)
      const content = await this.build(pack)
      await packs.setProgress(this.db, id, 10)
      const pptx = await packPptx(content, (done) => packs.setProgress(this.db, id, 10 + 70 * done))
      const pdf = await packPdf(content)
      await packs.setProgress(this.db, id, 95)
      const at = this.clock().toISOString()
      await ctx.commit(async (trx) => {
        await packs.finishPack(trx, id, {
          dataAsAt: content.dataAsAt,
          content: JSON.stringify(content),
          pptx,
          pdf,
          at,
        })
      })
    } catch (error) {
      if (!(error instanceof LeaseLost) && job.attempts >= job.maxAttempts)
        await packs.failPack(
          this.db,
          id,
          error instanceof Error ? error.message : String(error),
          this.clock().toISOString(),
        )
      throw error
    }
  }

  /** Every figure of the pack, read now. */
  private async build(pack: packs.BoardPack): Promise<PackContent> {
    const dataAsAt = this.clock().toISOString()
    const requester = pack.requestedBy ? await loadCurrentUser(this.db, pack.requestedBy, 'board-pack') : null
    if (!requester) throw new Error('the person who asked for this pack has no account now')
    const flags = await this.deps.board.flaggedIds()
    const priorityOf = new Map(flags.map((f) => [f.measureId, f.priorityId]))
    // The measures flagged when the pack was asked for, under the priority they have now.
    const asked = pack.measureIds.map((measureId) => ({
      measureId,
      priorityId: priorityOf.get(measureId) ?? null,
      flaggedAt: '',
    }))
    const { sections, rows: found, reports } = await this.deps.board.sectionsOf(requester, asked)
    const rows: { row: PackRow; board: BoardRow }[] = sections.flatMap((s) =>
      s.rows.map((b) => {
        const summary = reports.get(b.measureId)?.view.summary
        return {
          board: b,
          row: {
            ...packRow(s.title, b),
            variationIcon: summary?.variationIcon ?? null,
            assuranceIcon: summary?.assuranceIcon ?? null,
          },
        }
      }),
    )
    // Annotations only from projects every member may open: the pack is shared across the Board.
    const charted = rows.slice(0, MAX_CHART_SLIDES)
    const notesOf = await this.deps.measures.annotationsOf(
      ANY_MEMBER,
      charted.map((r) => ({ id: r.board.measureId, projectId: r.board.projectId })),
    )
    const charts: PackChart[] = []
    for (const { row, board } of charted) {
      const report = reports.get(board.measureId)!
      const m = report.measure
      const list = notesOf.get(m.id)
      const annotations = [...(list ?? [])]
        .sort((a, b) => b.date.localeCompare(a.date))
        .slice(0, 5)
        .map((a) => ({ date: a.date, text: a.isRebase ? `Rebase: ${a.text}` : a.text }))
      const chartNotes = (list ?? []).map((a) => ({
        x: a.date,
        label: a.isRebase ? `Rebase: ${a.text}` : a.text,
        kind: a.isRebase ? ('rebase' as const) : ('annotation' as const),
      }))
      const result = report.view.result
      charts.push({
        row,
        chartSvg: result
          ? renderSpcChartSvg(result, {
              title: m.name,
              yLabel: measureAxisLabel(m),
              target: m.target,
              direction: m.direction,
              signals: chartSignals(result, m.direction, m.target),
              annotations: chartNotes,
              id: `pack-${m.id}`,
            })
          : null,
        variationIconSvg: report.view.variationIconSvg,
        assuranceIconSvg: report.view.assuranceIconSvg,
        description: report.view.description,
        annotations,
        annotationsHidden: list === undefined,
      })
    }

    const since = new Date(this.clock().getTime() - 90 * DAY).toISOString()
    const [counts, options, completed, posters, stalled, capability] = await Promise.all([
      this.deps.projects.portfolioCounts(requester, {}),
      this.deps.projects.filterOptions(),
      this.deps.projects.list(null, { status: 'completed', page: 1, pageSize: 50 }),
      this.deps.posters?.listPublicPosters(500) ?? Promise.resolve([]),
      this.deps.portfolio.canRead(requester) ? this.deps.portfolio.stalled(requester, {}) : null,
      this.deps.capability.packLines(),
    ])
    const finished = await this.deps.projects.finishedDetails(completed.items.map((p) => p.id))
    const settings = await this.deps.portfolio.settings()
    return {
      community: COMMUNITY_NAME,
      dataAsAt,
      requestedAt: pack.requestedAt,
      rows: rows.map((r) => r.row),
      charts,
      chartsLeftOut: rows.length - charts.length,
      deleted: pack.measureIds.length - found,
      portfolio: {
        total: counts.total,
        byStatus: counts.status.map((s) => ({
          label: STATUS_LABELS[s.value as keyof typeof STATUS_LABELS] ?? s.value,
          n: s.n,
        })),
        withPartners: counts.withPartners,
        stalled: stalled ? stalled.items.length : null,
        stalledDays: settings.stalledDays,
      },
      capability,
      highlights: {
        completed: completed.items
          .map((p) => ({ title: p.title, finishedAt: finished.get(p.id)?.finishedAt ?? null }))
          .filter((p) => !p.finishedAt || p.finishedAt >= since)
          .slice(0, 10),
        posters: posters
          .filter((p) => p.approvedAt && p.approvedAt >= since)
          .slice(0, 10)
          .map((p) => ({ title: p.title, approvedAt: p.approvedAt })),
        programmes: options.programmes.map((p) => p.name).slice(0, 12),
      },
    }
  }
}

function packRow(section: string, b: BoardRow): Omit<PackRow, 'variationIcon' | 'assuranceIcon'> {
  return {
    section,
    measureId: b.measureId,
    name: b.name,
    projectTitle: b.projectTitle,
    frequency: b.frequency,
    unit: b.unit,
    latestPeriod: b.latestPeriod,
    latestValue: b.latestValue,
    centreName: b.centreName,
    centre: b.centre,
    lcl: b.lcl,
    ucl: b.ucl,
    target: b.target,
    variationLabel: b.variationLabel,
    assuranceLabel: b.assuranceLabel,
    ruleSet: b.ruleSet,
    points: b.points,
  }
}
