import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { ChangeIdea, Driver } from './drivers/repository.js'
import type { PdsaCycle } from './pdsa/repository.js'
import { nextTitle } from './pdsa/service.js'
import { stageRefusal } from './policy.js'
import { buildRamps } from './pdsa/ramp.js'
import { renderDriverDiagramSvg } from './svg/driver-diagram.js'
import { renderFishboneSvg } from './svg/fishbone.js'
import { renderFiveWhysSvg } from './svg/five-whys.js'
import { renderProcessMapSvg } from './svg/process-map.js'
import { renderStakeholderSvg } from './svg/stakeholders.js'
import { renderSustainabilitySvg } from './svg/sustainability.js'
import { wrapText } from './svg/text.js'
import { escapeXml } from '../core/escape.js'
import { xmlProblems } from './svg/xml-check.js'
import {
  normaliseData,
  quadrantOf,
  SUSTAINABILITY_FACTORS,
  type FactorKey,
  type ToolData,
} from './tools/definitions.js'
import {
  fishboneModel,
  fiveWhysModel,
  processMapModel,
  stakeholderModel,
  sustainabilityModel,
} from './tools/model.js'

const HOSTILE = `<script>alert("x")</script> & 'quotes' ]]> \u0007`

/** Well formed, labelled for assistive technology, and no hostile markup got through. */
function assertAccessibleSvg(svg: string, id: string): void {
  assert.deepEqual(xmlProblems(svg), [])
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  assert.match(svg, new RegExp(`role="img" aria-labelledby="${id}-title ${id}-desc"`))
  assert.match(svg, new RegExp(`<title id="${id}-title">[^<]+</title>`))
  assert.match(svg, new RegExp(`<desc id="${id}-desc">[^<]+</desc>`))
  assert.doesNotMatch(svg, /<script/)
  assert.ok(!svg.includes('\u0007'), 'no control characters')
}

const driver = (
  id: string,
  kind: 'primary' | 'secondary',
  title: string,
  parentIds: string[] = [],
): Driver => ({ id, projectId: 'p', kind, title, position: 1, version: 1, parentIds })
const idea = (
  id: string,
  title: string,
  driverIds: string[],
  status: ChangeIdea['status'] = 'idea',
): ChangeIdea => ({ id, projectId: 'p', title, description: '', status, position: 1, version: 1, driverIds })

describe('diagram text helpers', () => {
  test('escapes markup and drops characters XML forbids', () => {
    assert.equal(escapeXml('<b>"A&B"</b> \u0000'), '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; ')
  })

  test('wraps at spaces, splits long words and marks text left over', () => {
    assert.deepEqual(wrapText('Reduce falls on the ward', 10), ['Reduce', 'falls on', 'the ward'])
    assert.deepEqual(wrapText('abcdefghijkl', 5), ['abcde', 'fghij', 'kl'])
    assert.deepEqual(wrapText('one two three four', 7, 2), ['one two', 'three…'])
    assert.deepEqual(wrapText('', 5), [''])
  })

  test('the XML check finds what is wrong', () => {
    assert.deepEqual(xmlProblems('<svg a="1"><g/></svg>'), [])
    assert.ok(xmlProblems('<svg><g></svg>').length > 0)
    assert.ok(xmlProblems('<svg>a < b</svg>').length > 0)
    assert.ok(xmlProblems('<svg>a & b</svg>').length > 0)
    assert.ok(xmlProblems('<svg a=1></svg>').length > 0)
    assert.ok(xmlProblems('<svg a="1" a="2"></svg>').length > 0)
  })
})

describe('driver diagram SVG', () => {
  test('draws aim, drivers and change ideas with their links, escaping every title', () => {
    const drivers = [
      driver('p1', 'primary', `Senior review ${HOSTILE}`),
      driver('p2', 'primary', 'Flow'),
      driver('s1', 'secondary', 'Board round by 10am', ['p1', 'p2']),
    ]
    const ideas = [
      idea('i1', 'Checklist', ['s1'], 'testing'),
      idea('i2', 'Straight to primary', ['p2'], 'adopted'),
      idea('i3', 'Not linked', []),
    ]
    const svg = renderDriverDiagramSvg({ aim: `Aim ${HOSTILE}`, drivers, changeIdeas: ideas }, { id: 'dd' })
    assertAccessibleSvg(svg, 'dd')
    assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)/)
    // aim→2 primaries, 2 parent links, 1 secondary link, 1 dashed primary link.
    assert.equal((svg.match(/<path /g) ?? []).length, 6)
    assert.equal((svg.match(/stroke-dasharray/g) ?? []).length, 1)
    assert.match(svg, /Status: Testing/)
    assert.match(svg, /Status: Adopted/)
    assert.match(svg, /2 primary drivers, 1 secondary driver and 3 change ideas/)
  })

  test('an empty diagram says so', () => {
    const svg = renderDriverDiagramSvg({ aim: null, drivers: [], changeIdeas: [] })
    assertAccessibleSvg(svg, 'driver-diagram')
    assert.match(svg, /No aim written yet/)
    assert.equal((svg.match(/None yet/g) ?? []).length, 3)
  })
})

describe('QI tool pictures', () => {
  const data = (items: unknown[], head: Record<string, unknown> = {}): ToolData =>
    normaliseData({ headRev: 1, head, items })

  test('fishbone: problem, categories above and below the spine, causes', () => {
    const model = fishboneModel(
      data(
        [
          { id: 'c1', rev: 1, kind: 'category', name: `People ${HOSTILE}` },
          { id: 'c2', rev: 1, kind: 'category', name: 'Equipment' },
          { id: 'c3', rev: 1, kind: 'category', name: 'Methods' },
          { id: 'x1', rev: 1, kind: 'cause', categoryId: 'c1', text: `Staff shortages ${HOSTILE}` },
          { id: 'x2', rev: 1, kind: 'cause', categoryId: 'c2', text: 'No hoist on the ward' },
        ],
        { problem: `Falls at night ${HOSTILE}` },
      ),
    )
    const svg = renderFishboneSvg(model, { id: 'fb' })
    assertAccessibleSvg(svg, 'fb')
    assert.match(svg, /No hoist on the ward/)
    assert.match(svg, /3 categories and 2 causes/)
  })

  test('5 whys: a chain from problem to root cause', () => {
    const model = fiveWhysModel(
      data([], {
        problem: 'Late discharges',
        whys: ['TTOs late', `Pharmacy queue ${HOSTILE}`, '', '', ''],
        rootCause: 'Prescribing on the day',
      }),
    )
    assert.equal(model.whys.length, 2)
    const svg = renderFiveWhysSvg(model, { id: 'w' })
    assertAccessibleSvg(svg, 'w')
    assert.match(svg, /Why 2/)
    assert.match(svg, /Root cause/)
  })

  test('process map: shapes by kind, value or waste in words, swimlanes', () => {
    const model = processMapModel(
      data([
        {
          id: 'a',
          rev: 1,
          kind: 'step',
          label: 'Decision to admit',
          stepKind: 'step',
          value: 'value',
          lane: 'ED doctor',
        },
        {
          id: 'b',
          rev: 1,
          kind: 'step',
          label: `Bed free? ${HOSTILE}`,
          stepKind: 'decision',
          value: 'waste',
          lane: 'Bed manager',
        },
        {
          id: 'c',
          rev: 1,
          kind: 'step',
          label: 'Porter called',
          stepKind: 'handoff',
          value: 'waste',
          lane: '',
        },
      ]),
    )
    assert.deepEqual(model.lanes, ['ED doctor', 'Bed manager', 'No owner given'])
    const svg = renderProcessMapSvg(model, { id: 'pm' })
    assertAccessibleSvg(svg, 'pm')
    assert.equal((svg.match(/<polygon/g) ?? []).length, 2)
    assert.match(svg, /Decision · Waste/)
    assert.match(svg, /1 value-adding, 2 waste/)
  })

  test('stakeholder grid: quadrants, numbered points and a key', () => {
    assert.equal(quadrantOf(5, 5), 'manage_closely')
    assert.equal(quadrantOf(1, 4), 'keep_satisfied')
    assert.equal(quadrantOf(3, 2), 'keep_informed')
    assert.equal(quadrantOf(2, 2), 'monitor')
    const model = stakeholderModel(
      data([
        {
          id: 'a',
          rev: 1,
          kind: 'stakeholder',
          name: `Matron ${HOSTILE}`,
          group: 'Nursing',
          interest: 5,
          influence: 4,
          notes: '',
        },
        {
          id: 'b',
          rev: 1,
          kind: 'stakeholder',
          name: 'Porters',
          group: 'Estates',
          interest: 1,
          influence: 1,
          notes: '',
        },
        {
          id: 'c',
          rev: 1,
          kind: 'stakeholder',
          name: 'Porters 2',
          group: 'Estates',
          interest: 1,
          influence: 1,
          notes: '',
        },
      ]),
    )
    assert.deepEqual(model.quadrants.find((q) => q.key === 'monitor')!.names, ['Porters', 'Porters 2'])
    const svg = renderStakeholderSvg(model, { id: 'sh' })
    assertAccessibleSvg(svg, 'sh')
    assert.equal((svg.match(/<circle/g) ?? []).length, 3)
    assert.match(svg, /Manage closely/)
    assert.match(svg, /Keep satisfied/)
  })

  test('sustainability: one bar per factor and the total, newest scoring shown', () => {
    const scores = (n: number) =>
      Object.fromEntries(SUSTAINABILITY_FACTORS.map((f) => [f.key, n])) as Record<FactorKey, number>
    const model = sustainabilityModel(
      data([
        { id: 'a', rev: 1, kind: 'scoring', date: '2026-01-10', scores: scores(2), note: '', scoredBy: '' },
        {
          id: 'b',
          rev: 1,
          kind: 'scoring',
          date: '2026-06-10',
          scores: scores(3),
          note: HOSTILE,
          scoredBy: '',
        },
      ]),
    )
    assert.equal(model.latest!.id, 'b')
    assert.equal(model.latest!.total, 30)
    const svg = renderSustainabilitySvg(model, { id: 'sm' })
    assertAccessibleSvg(svg, 'sm')
    assert.match(svg, /Total: 30 of 40/)
    assert.equal((svg.match(/>3 of 4</g) ?? []).length, 10)
    assert.match(svg, /not the model’s published weighted scores/)
    assertAccessibleSvg(renderSustainabilitySvg(sustainabilityModel(data([])), { id: 'e' }), 'e')
  })

  test('stored data is normalised: unknown kinds dropped, scores clamped to the scale', () => {
    const d = normaliseData({
      items: [
        { id: 'x', kind: 'evil' },
        { id: 's', kind: 'stakeholder', name: 'A', interest: 99, influence: '3' },
        { kind: 'category', name: 'no id' },
      ],
    })
    assert.equal(d.items.length, 1)
    assert.deepEqual(
      [(d.items[0] as { interest: number }).interest, (d.items[0] as { influence: number }).influence],
      [1, 3],
    )
  })
})

describe('PDSA rules', () => {
  const cycle = (id: string, previousId: string | null, createdAt: string): PdsaCycle =>
    ({ id, previousId, createdAt, title: id, status: 'decided' }) as PdsaCycle

  test('ramps follow the adapt links in order; unlinked cycles start ramps of their own', () => {
    const ramps = buildRamps([
      cycle('c3', 'c2', '3'),
      cycle('c1', null, '1'),
      cycle('x', null, '2'),
      cycle('c2', 'c1', '2'),
    ])
    assert.deepEqual(
      ramps.map((r) => r.cycles.map((c) => `${c.id}#${c.number}`)),
      [['c1#1', 'c2#2', 'c3#3'], ['x#1']],
    )
  })

  test('study cannot be skipped and closed cycles cannot change', () => {
    assert.match(stageRefusal('doing', 'act')!, /Study cannot be skipped/)
    assert.match(stageRefusal('planned', 'study')!, /Start the test/)
    assert.match(stageRefusal('closed', 'plan')!, /closed/)
    assert.equal(stageRefusal('studying', 'act'), null)
    assert.equal(stageRefusal('planned', 'do'), null)
  })

  test('the next cycle of a ramp is numbered', () => {
    assert.equal(nextTitle('Checklist'), 'Checklist (cycle 2)')
    assert.equal(nextTitle('Checklist (cycle 2)'), 'Checklist (cycle 3)')
    assert.ok(nextTitle('x'.repeat(120)).length <= 120)
  })
})
