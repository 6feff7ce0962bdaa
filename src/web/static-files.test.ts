import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { StaticDirectory, contentHash, hashedName, parseHashedName } from './static-files.js'
import { chooseEncoding } from './compression.js'

test('a file’s hashed name changes when, and only when, its content changes', () => {
  const a = contentHash('.app-a { color: red }')
  assert.match(a, /^[0-9a-f]{10}$/)
  assert.equal(contentHash('.app-a { color: red }'), a)
  assert.notEqual(contentHash('.app-a { color: blue }'), a)
  assert.equal(hashedName('app.css', a), `app.${a}.css`)
  assert.equal(hashedName('nhsuk-frontend.min.js', a), `nhsuk-frontend.min.${a}.js`)
  assert.deepEqual(parseHashedName(`nhsuk-frontend.min.${a}.js`), { name: 'nhsuk-frontend.min.js', hash: a })
  assert.equal(parseHashedName('app.css'), null)
  assert.equal(parseHashedName('nhsuk-frontend.min.js'), null)
})

test('a directory names its files by content and compresses each content once', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'qi-static-'))
  try {
    writeFileSync(path.join(root, 'app.css'), '.app-x { margin: 0 }\n'.repeat(100))
    writeFileSync(path.join(root, 'tiny.css'), '.a{}')
    writeFileSync(path.join(root, 'notes.md'), '# not served')
    const before = new StaticDirectory(root).hashedName('app.css')
    writeFileSync(path.join(root, 'app.css'), '.app-x { margin: 1px }\n'.repeat(100))
    const directory = new StaticDirectory(root)
    const after = directory.hashedName('app.css')
    assert.notEqual(after, before, 'new content, new name')
    assert.match(after, /^app\.[0-9a-f]{10}\.css$/)
    assert.equal(directory.get('notes.md'), null, 'only known types are served')
    assert.equal(directory.get('../app.css'), null)
    const file = directory.get('app.css')!
    assert.equal(file.compressible, true)
    assert.equal(directory.get('tiny.css')!.compressible, false, 'under 1 KB stays as it is')
    const br = await directory.encode(file, 'br')
    assert.equal(zlib.brotliDecompressSync(br).toString(), file.body.toString())
    assert.equal(await directory.encode(file, 'br'), br, 'kept, not compressed again')
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('the encoding follows Accept-Encoding: brotli first, gzip next, q=0 refuses', () => {
  assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br')
  assert.equal(chooseEncoding('gzip'), 'gzip')
  assert.equal(chooseEncoding('br;q=0, gzip'), 'gzip')
  assert.equal(chooseEncoding('gzip;q=1.0, br;q=0.5'), 'gzip')
  assert.equal(chooseEncoding('identity'), null)
  assert.equal(chooseEncoding('*'), 'br')
  assert.equal(chooseEncoding('*;q=0'), null)
  assert.equal(chooseEncoding(undefined), null)
  assert.equal(chooseEncoding(''), null)
})
