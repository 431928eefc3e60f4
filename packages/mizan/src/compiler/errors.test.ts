import { describe, expect, it } from 'vitest'
import { codeFrame, createLocator, MizanBuildError } from './errors.ts'

describe('codeFrame', () => {
  it('shows two lines around the line with a caret under the column', () => {
    const code = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n'
    expect(codeFrame(code, 4, 2)).toBe(['  2 | two', '  3 | three', '> 4 | four', '    |   ^', '  5 | five', '  6 | six'].join('\n'))
  })

  it('clips at the start and end of the file and widens the gutter', () => {
    expect(codeFrame('a\nb', 1, 0)).toBe(['> 1 | a', '    | ^', '  2 | b'].join('\n'))
    const long = Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join('\n')
    expect(codeFrame(long, 10, 1)).toBe(['   8 | l8', '   9 | l9', '> 10 | l10', '     |  ^', '  11 | l11', '  12 | l12'].join('\n'))
  })

  it('keeps tabs in the caret line so the caret lines up', () => {
    expect(codeFrame('\tfoo(x)', 1, 5)).toBe(['> 1 | \tfoo(x)', '    | \t    ^'].join('\n'))
  })
})

describe('createLocator', () => {
  it('maps offsets to 1-based lines and 0-based columns across LF, CRLF and CR', () => {
    const locate = createLocator('ab\r\ncd\ref\ngh')
    expect(locate(0)).toEqual({ line: 1, column: 0 })
    expect(locate(4)).toEqual({ line: 2, column: 0 })
    expect(locate(8)).toEqual({ line: 3, column: 1 })
    expect(locate(11)).toEqual({ line: 4, column: 1 })
  })
})

describe('MizanBuildError', () => {
  it('carries the first code and every problem', () => {
    const error = new MizanBuildError([
      { code: 'MIZAN_NO_ROOT', file: 'src/root.tsx', message: 'missing.', fix: 'Create it.' },
      { code: 'MIZAN_NO_ROUTES', file: 'src/routes', message: 'empty.', fix: 'Add one.' },
    ])
    expect(error.code).toBe('MIZAN_NO_ROOT')
    expect(error.name).toBe('MizanBuildError')
    expect(error.message).toBe('Mizan found 2 problems:\n\n[MIZAN_NO_ROOT] src/root.tsx: missing.\nFix: Create it.\n\n[MIZAN_NO_ROUTES] src/routes: empty.\nFix: Add one.')
  })

  it('refuses to be built without a problem (a Mizan bug)', () => {
    expect(() => new MizanBuildError([])).toThrow(/This is a bug in Mizan/)
  })
})
