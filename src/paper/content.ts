import { addSteps, periodStep } from '../core/frequency.js'
import type { OperationalDefinition } from '../measures/service.js'
import type { CycleView } from '../improvement/pdsa/service.js'
import { PDSA_DECISION_LABELS, PREDICTION_MET_LABELS } from '../improvement/policy.js'

/**
 * What the paper forms print, built once and drawn twice: as a print page (views/) and as a
 * PDF (pdf.ts). A field with a value prints it; an empty one prints space to write in.
 */

export interface PaperField {
  label: string
  /** What the team has already written; empty prints `lines` ruled lines to write on. */
  value: string
  lines: number
  /** Boxes to tick (the prediction met, the decision), the chosen one ticked. */
  choices?: { text: string; chosen: boolean }[]
}

export interface PaperSection {
  id: string
  heading: string
  hint: string
  fields: PaperField[]
}

export interface PdsaPaper {
  community: string
  title: string
  about: { label: string; value: string }[]
  sections: PaperSection[]
  footer: string
}

/** A PDSA cycle as the form shows it (null for the blank form). */
export type PdsaFacts = Omit<CycleView['cycle'], 'predictionMet' | 'decision'> & {
  predictionMet: string | null
  decision: string | null
  changeIdeaTitle: string
  measures: string[]
}

const day = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})
/** 1 Dec 2026: a form of date the paste and upload read back (measures/periods.ts). */
export const dayText = (date: string | null) => (date ? day.format(new Date(`${date}T00:00:00Z`)) : '')

const MET = Object.entries(PREDICTION_MET_LABELS)
const DECISIONS = Object.entries(PDSA_DECISION_LABELS)

const field = (label: string, value: string, lines: number): PaperField => ({ label, value, lines })
const choose = (label: string, options: [string, string][], chosen: string | null) => ({
  label,
  value: '',
  lines: 0,
  choices: options.map(([v, text]) => ({ text, chosen: v === chosen })),
})

/** The PDSA form: the cycle's own words where it has them, space to write where it has not. */
export function pdsaPaper(
  community: string,
  projectTitle: string,
  c: PdsaFacts | null,
  enterAt: string,
): PdsaPaper {
  const v = (s: string | null | undefined) => s ?? ''
  return {
    community,
    title: c ? `PDSA cycle: ${c.title}` : 'PDSA cycle',
    about: [
      { label: 'Project', value: projectTitle },
      { label: 'Change idea being tested', value: v(c?.changeIdeaTitle) },
      ...(c ? [] : [{ label: 'Cycle title', value: '' }]),
    ],
    sections: [
      {
        id: 'plan',
        heading: 'Plan',
        hint: 'What are we testing, what do we predict will happen, and how will we know?',
        fields: [
          field('Objective of this test', v(c?.objective), 2),
          field('Prediction: what we think will happen, and by how much', v(c?.prediction), 3),
          field('Who', v(c?.planWho), 1),
          field('What', v(c?.planWhat), 1),
          field('When', v(c?.planWhen), 1),
          field('Where', v(c?.planWhere), 1),
          field('Planned start', dayText(c?.plannedDate ?? null), 1),
          field('Data to collect', v(c?.dataToCollect), 2),
          field('Measures', c?.measures.join('; ') ?? '', 1),
        ],
      },
      {
        id: 'do',
        heading: 'Do',
        hint: 'Carry out the test on a small scale. Write down what happened, problems and surprises.',
        fields: [
          field('Started', dayText(c?.doStart ?? null), 1),
          field('Ended', dayText(c?.doEnd ?? null), 1),
          field('What happened', v(c?.doNotes), 4),
        ],
      },
      {
        id: 'study',
        heading: 'Study',
        hint: 'Compare the results with the prediction before deciding what to do next.',
        fields: [
          field('What we found', v(c?.findings), 4),
          choose('Was the prediction met?', MET, c?.predictionMet ?? null),
        ],
      },
      {
        id: 'act',
        heading: 'Act',
        hint: 'Adopt the change, adapt it for the next cycle, or abandon it.',
        fields: [
          choose('Decision', DECISIONS, c?.decision ?? null),
          field('Why, and what the next cycle will test', v(c?.decisionReason), 3),
        ],
      },
    ],
    footer: `Back at a computer, type what you wrote into the cycle's stages: ${enterAt}`,
  }
}

export interface SheetPaper {
  community: string
  title: string
  projectTitle: string
  definition: { label: string; value: string }[]
  columns: string[]
  /** One row per period, its date as the paste reads it; blank when the frequency has no step. */
  rows: string[]
  footer: string[]
}

/** How many periods a sheet may list (a year of weeks), and how many it lists unless asked. */
export const MAX_PERIODS = 53
export const DEFAULT_PERIODS = 12

/**
 * The next `n` periods after the latest one with data, by the measure's own frequency; with no
 * data yet, from today (months, quarters and years from the first of this month). Blank rows
 * when the frequency cannot be read.
 */
export function nextPeriods(frequency: string, latest: string | null, today: string, n: number): string[] {
  const step = periodStep(frequency)
  if (!step) return Array.from({ length: n }, () => '')
  if (latest) return Array.from({ length: n }, (_, i) => addSteps(latest, step, i + 1))
  const start = 'months' in step ? `${today.slice(0, 8)}01` : today
  return Array.from({ length: n }, (_, i) => addSteps(start, step, i))
}

export interface SheetMeasure extends OperationalDefinition {
  id: string
  name: string
  unit: string
  dataKind: string
}

/** The data-collection sheet: the definition on top, a row per period with tally space below. */
export function sheetPaper(
  community: string,
  projectTitle: string,
  m: SheetMeasure,
  periods: string[],
  links: { paste: string; upload: string; entry: string },
): SheetPaper {
  const two = m.dataKind === 'proportion' || m.dataKind === 'rate'
  const columns = two
    ? ['Period', 'Numerator: tally', 'Numerator total', 'Denominator: tally', 'Denominator total', 'Initials']
    : m.dataKind === 'count'
      ? ['Period', 'Tally', 'Total', 'Initials']
      : ['Period', m.unit ? `Value (${m.unit})` : 'Value', 'Notes', 'Initials']
  const none = 'Not written yet'
  return {
    community,
    title: `Data collection sheet: ${m.name}`,
    projectTitle,
    definition: [
      { label: 'Numerator', value: m.numerator || (two ? none : 'Not used for this kind of data') },
      { label: 'Denominator', value: m.denominator || (two ? none : 'Not used for this kind of data') },
      { label: 'Include', value: m.inclusions || none },
      { label: 'Exclude', value: m.exclusions || none },
      { label: 'Source of the data', value: m.source || none },
      { label: 'Sampling', value: m.sampling || none },
      { label: 'Frequency', value: m.frequency || none },
      { label: 'Collected by', value: m.collector || none },
    ],
    columns,
    rows: periods.map(dayText),
    footer: [
      'Back at a computer, the collected data goes back in through the measure’s paste or upload (a period column as printed here, then the totals), or one period at a time:',
      `paste: ${links.paste}`,
      `upload: ${links.upload}`,
      `one period: ${links.entry}`,
    ],
  }
}
