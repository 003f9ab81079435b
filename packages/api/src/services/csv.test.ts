import { describe, expect, it } from 'vitest'
import { formatCsv, formatCsvCell } from './csv.ts'

describe('formatCsvCell', () => {
  it('writes plain values as they are and nothing for null', () => {
    expect(formatCsvCell('abc')).toBe('abc')
    expect(formatCsvCell(12.5)).toBe('12.5')
    expect(formatCsvCell(-3)).toBe('-3')
    expect(formatCsvCell(true)).toBe('true')
    expect(formatCsvCell(null)).toBe('')
    expect(formatCsvCell(undefined)).toBe('')
  })

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(formatCsvCell('a,b')).toBe('"a,b"')
    expect(formatCsvCell('say "hi"')).toBe('"say ""hi"""')
    expect(formatCsvCell('two\nlines')).toBe('"two\nlines"')
    expect(formatCsvCell('cr\r')).toBe('"cr\r"')
  })

  it('neutralizes text a spreadsheet would run as a formula', () => {
    expect(formatCsvCell('=1+1')).toBe("'=1+1")
    expect(formatCsvCell('+49 30')).toBe("'+49 30")
    expect(formatCsvCell('-2')).toBe("'-2")
    expect(formatCsvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(formatCsvCell('\tx')).toBe("'\tx")
    expect(formatCsvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
  })
})

describe('formatCsv', () => {
  it('writes a header and rows with CRLF line ends', () => {
    expect(
      formatCsv(
        ['a', 'b'],
        [
          [1, 'x,y'],
          [null, '=z'],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n,\'=z\r\n')
  })
})
