// The W3C Nu HTML Checker (vnu-jar, on Java) over every page a browser journey was served
// (issue 15 point 8). The documents are the server's own bytes, as Chromium received them, not
// the DOM after scripts ran. Errors that come from nhsuk-frontend's components are listed below
// with the component and why they remain (docs/html-validity.md); any other error fails the run.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface ServedPage {
  url: string
  html: string
}

export interface MarkupError {
  url: string
  line: number | undefined
  message: string
  extract: string
}

/**
 * Errors the checker reports in nhsuk-frontend 10.6.1's own markup. Each names the component.
 * Our fast table macros (learning/views/macros.njk, facilitation/views/data-table.njk) write the
 * NHS.UK responsive table's exact markup, so they share its entry.
 */
export const COMPONENT_ERRORS: { component: string; pattern: RegExp }[] = [
  {
    // Responsive tables give rows and cells explicit ARIA roles so that screen readers keep the
    // table's meaning when the CSS lays cells out as blocks on small screens.
    component: 'tables (responsive)',
    pattern:
      /^The “role” attribute must not be used on a “(tr|td|th|thead|tbody)” element which has a “table” ancestor/,
  },
  {
    component: 'tables (responsive)',
    pattern:
      /^Bad value “(table|rowgroup|row|cell|columnheader|rowheader)” for attribute “role” on element “(table|thead|tbody|tr|td|th)”/,
  },
  {
    // Cards (and components built on them: warning callout, inset text, do and don't lists) keep
    // a heading's text and its visually hidden prefix as one phrase for VoiceOver.
    component: 'card',
    pattern: /^Bad value “text” for attribute “role” on element “span”/,
  },
]

function vnuJar(): string | null {
  try {
    const require = createRequire(import.meta.url)
    return path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar')
  } catch {
    return null
  }
}

/** True when Java and the checker are both here (they are in CI: Java 17 comes with the machine). */
export function markupCheckerAvailable(): boolean {
  if (!vnuJar()) return false
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0
}

/** Runs the checker over the pages and returns the errors not known to come from nhsuk-frontend. */
export function checkMarkup(pages: ServedPage[]): MarkupError[] {
  const jar = vnuJar()
  if (!jar || pages.length === 0) return []
  const dir = mkdtempSync(path.join(tmpdir(), 'qi-vnu-'))
  try {
    const byFile = new Map<string, string>()
    pages.forEach((page, i) => {
      const file = path.join(dir, `page-${String(i).padStart(4, '0')}.html`)
      writeFileSync(file, page.html)
      byFile.set(`file:${file}`, page.url)
    })
    // The checker runs for a few seconds: C1 only (no C2 optimising compiles) and the serial
    // collector halve its CPU time here (85 pages: 5.5 s of CPU to 2.6 s), with the same answer.
    const jvm = ['-Xss2m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto']
    const run = spawnSync('java', [...jvm, '-jar', jar, '--errors-only', '--format', 'json', dir], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
    const out = run.stderr || run.stdout
    let report: {
      messages?: { type: string; url?: string; lastLine?: number; message: string; extract?: string }[]
    }
    try {
      report = JSON.parse(out) as typeof report
    } catch {
      throw new Error(`the HTML checker did not answer in JSON (exit ${run.status}): ${out.slice(0, 500)}`)
    }
    return (report.messages ?? [])
      .filter((m) => m.type === 'error')
      .filter((m) => !COMPONENT_ERRORS.some((known) => known.pattern.test(m.message)))
      .map((m) => ({
        url: byFile.get(m.url ?? '') ?? m.url ?? '',
        line: m.lastLine,
        message: m.message,
        extract: (m.extract ?? '').replace(/\s+/g, ' ').trim(),
      }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
