import type { CurrentUser } from '../core/identity.js'
import type { MeasureService } from '../measures/service.js'
import type { ProjectService } from '../projects/service.js'

/** Words too common in improvement work to say two projects are alike. */
const STOP_WORDS = new Set(
  (
    'the and for with from that this into over under about after before when where which what who whom ' +
    'why how our their they them its are was were been being have has had not but all any can could ' +
    'will would should may might must per via than then there these those such more most less least ' +
    'very also just only each other some many much few one two three first last new use used using ' +
    'make made get got see want need needs improve improving improvement improvements project projects ' +
    'reduce reducing increase increasing better time times team teams people patients patient service ' +
    'services care staff work working demo synthetic month months week weeks year years day days'
  ).split(' '),
)

/** The distinctive words of a text: lower-case, three letters or more, common words dropped, a plural "s" folded. */
export function keywords(text: string): string[] {
  const out = new Set<string>()
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (raw.length < 3 || /^\d+$/.test(raw) || STOP_WORDS.has(raw)) continue
    const word = raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw
    if (!STOP_WORDS.has(word)) out.add(word)
  }
  return [...out]
}

export interface SimilarProject {
  id: string
  title: string
  status: string
  score: number
  /** Why it is listed, in words ("shares the words discharge and ward; the same aim E3"). */
  reasons: string[]
}

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`

/**
 * "Similar projects": ranked by shared words in title, problem and aim (two points each), shared
 * aim codes (one and a half), the same programme (one) and shared words in measure names (one).
 * Only projects the viewer may see are ever candidates (the projects feature decides), so a
 * private project never shows, even as a count.
 */
export class SimilarService {
  constructor(private readonly deps: { projects: ProjectService; measures: MeasureService }) {}

  /** Before a project exists: what its title and problem say. */
  async forDraft(user: CurrentUser | null, draft: { title: string; problem: string }, limit = 5) {
    return this.rank(
      user,
      { text: `${draft.title} ${draft.problem}`, aimCodes: [], programmeId: null },
      limit,
    )
  }

  /** On a project's page: projects like it, itself left out. */
  async forProject(user: CurrentUser | null, projectId: string, limit = 5) {
    const profile = await this.deps.projects.similarProfile(user, projectId)
    if (!profile) return []
    const names = await this.deps.measures.reports.measureNames([projectId])
    return this.rank(
      user,
      { ...profile, measureNames: names.get(projectId) ?? [], excludeId: projectId },
      limit,
    )
  }

  private async rank(
    user: CurrentUser | null,
    from: {
      text: string
      aimCodes: string[]
      programmeId: string | null
      measureNames?: string[]
      excludeId?: string
    },
    limit: number,
  ): Promise<SimilarProject[]> {
    const words = keywords(from.text)
    // The longest words are the most telling; at most 8 go to the database.
    const probe = [...words].sort((a, b) => b.length - a.length || a.localeCompare(b)).slice(0, 8)
    const candidates = await this.deps.projects.similarCandidates(user, {
      words: probe,
      aimCodes: from.aimCodes,
      programmeId: from.programmeId,
      excludeId: from.excludeId,
    })
    if (candidates.length === 0) return []
    const measureWords = new Set(keywords((from.measureNames ?? []).join(' ')))
    const names = measureWords.size
      ? await this.deps.measures.reports.measureNames(candidates.map((c) => c.id))
      : new Map<string, string[]>()
    const mine = new Set(words)
    const ranked: SimilarProject[] = []
    for (const c of candidates) {
      const shared = keywords(c.text).filter((w) => mine.has(w))
      const codes = c.aimCodes.filter((a) => from.aimCodes.includes(a))
      const sameProgramme = from.programmeId !== null && c.programmeId === from.programmeId
      const sharedMeasures = keywords((names.get(c.id) ?? []).join(' ')).filter((w) => measureWords.has(w))
      const score = shared.length * 2 + codes.length * 1.5 + (sameProgramme ? 1 : 0) + sharedMeasures.length
      if (score < 2) continue
      const reasons: string[] = []
      if (shared.length)
        reasons.push(`shares the ${shared.length === 1 ? 'word' : 'words'} ${list(shared.slice(0, 5))}`)
      if (codes.length) reasons.push(`the same ${codes.length === 1 ? 'aim' : 'aims'} ${list(codes)}`)
      if (sameProgramme) reasons.push('the same programme')
      if (sharedMeasures.length) reasons.push(`measures ${list(sharedMeasures.slice(0, 3))} too`)
      ranked.push({ id: c.id, title: c.title, status: c.status, score, reasons })
    }
    return ranked.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, limit)
  }
}
